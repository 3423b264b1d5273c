/*
 * pager.h — the pager (and exception handler) of a child's threads.
 *
 * Components get all their memory mapped before they start, so a page
 * fault is a crash, as is any exception: core reports it on stdout,
 * "[name] crashed: page fault at 0xADDR (ip 0xIP)" or
 * "[name] crashed: exception TRAPNO (ip 0xIP)", and ends the child
 * (exit code -1). The rest of the system runs on.
 */
#pragma once

struct child;

/* Attach c's main-thread pager object (c->pager). RECAP_OK or an error. */
int pager_attach(struct child *c);
