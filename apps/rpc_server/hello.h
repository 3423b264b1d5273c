/*
 * hello.h — the "Hello" service of apps/rpc_server, as its clients
 * (apps/rpc_client, apps/rpc_bench) call it. Wire format: recap/rpc_wire.h.
 *
 * A Hello session:
 *   ADD          word a, word b    -> word a + b
 *   LABEL                          -> string: the session's label, as
 *                                     core gave it to the server
 *   STORE        cap callback      -> word: the callback's SQUARE of 7
 *                                     (the server keeps the capability and
 *                                     calls it at once)
 *   CALL_STORED  word n            -> word: the stored callback's SQUARE n
 *   MAKE_COUNTER                   -> 1 cap: a new counter of the server's
 *   IDENTIFY     cap               -> word: n if it is this session's
 *                                     counter n (from 1), RECAP_ERR_DENIED
 *                                     if it is no counter of this session
 * A counter (the server's object):
 *   INC                            -> word: the new value (from 1)
 * A callback (the client's object, on an entrypoint of the client's own
 * that is free while the client waits for the server):
 *   SQUARE       word n            -> word n * n
 */
#pragma once

#define HELLO_SERVICE "Hello"

enum hello_op {
	HELLO_ADD = 1,
	HELLO_LABEL = 2,
	HELLO_STORE = 3,
	HELLO_CALL_STORED = 4,
	HELLO_MAKE_COUNTER = 5,
	HELLO_IDENTIFY = 6,
};

enum hello_counter_op {
	HELLO_COUNTER_INC = 1,
};

enum hello_callback_op {
	HELLO_CALLBACK_SQUARE = 1,
};
