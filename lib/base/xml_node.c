/*
 * xml_node.c — the XML node reader (recap/xml_node.h): config text read
 * in place, checked strictly, never past its length.
 *
 * Everything is a cursor over [p, end) that only moves forward and tests
 * at_end before every byte it reads; whatever the reader does not
 * understand is "malformed" (RECAP_ERR_INVAL), never guessed at. Nesting
 * is followed with a fixed stack of open element names (no recursion, no
 * allocation), RECAP_XML_DEPTH_MAX deep.
 */
#include <stdbool.h>

#include <recap/err.h>
#include <recap/string.h>
#include <recap/xml_node.h>

#define STRLEN RECAP_STRING_NAME(strlen)
#define MEMCMP RECAP_STRING_NAME(memcmp)

struct cursor {
	char const *p;
	char const *end;
};

static bool at_end(struct cursor const *c)
{
	return c->p >= c->end;
}

/* Does the rest start with s? */
static bool looking_at(struct cursor const *c, char const *s)
{
	size_t n = STRLEN(s);

	return (size_t)(c->end - c->p) >= n && !MEMCMP(c->p, s, n);
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Skip white space; was there any? */
static bool skip_space(struct cursor *c)
{
	char const *start = c->p;

	while (!at_end(c) && is_space(*c->p))
		c->p++;
	return c->p != start;
}

/* Skip past the next occurrence of s; false if there is none. */
static bool skip_past(struct cursor *c, char const *s)
{
	while (!at_end(c)) {
		if (looking_at(c, s)) {
			c->p += STRLEN(s);
			return true;
		}
		c->p++;
	}
	return false;
}

static bool name_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == ':';
}

static bool name_char(char ch)
{
	return name_start(ch) || (ch >= '0' && ch <= '9') || ch == '-' ||
	       ch == '.';
}

/* A name at the cursor: its length (0: none). */
static size_t take_name(struct cursor *c)
{
	char const *start = c->p;

	if (at_end(c) || !name_start(*c->p))
		return 0;
	while (!at_end(c) && name_char(*c->p))
		c->p++;
	return (size_t)(c->p - start);
}

static bool same_name(char const *a, size_t a_len, char const *b)
{
	return a_len == STRLEN(b) && !MEMCMP(a, b, a_len);
}

/* A comment at the cursor ("<!--"): XML allows no "--" inside. */
static bool skip_comment(struct cursor *c)
{
	c->p += 4;
	if (!skip_past(c, "--"))
		return false;
	return !at_end(c) && *c->p++ == '>';
}

/* The digits of a character reference up to ';', as a value below 128. */
static int char_ref(struct cursor *c)
{
	unsigned base = 10, v = 0, n = 0;

	if (!at_end(c) && *c->p == 'x') {
		base = 16;
		c->p++;
	}
	for (; !at_end(c) && *c->p != ';'; c->p++, n++) {
		char ch = *c->p;
		unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
			   : base == 16 && ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
			   : base == 16 && ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
			   : 99;

		if (d >= base || n >= 4)
			return -1;
		v = v * base + d;
	}
	if (at_end(c) || !n || !v || v >= 128)
		return -1;
	c->p++;
	return (int)v;
}

/* An entity after '&': the character it stands for, or -1. */
static int entity(struct cursor *c)
{
	static struct { char const *name; char ch; } const named[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};

	if (!at_end(c) && *c->p == '#') {
		c->p++;
		return char_ref(c);
	}
	for (unsigned i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (looking_at(c, named[i].name)) {
			c->p += STRLEN(named[i].name);
			return named[i].ch;
		}
	}
	return -1;
}

/*
 * A quoted value at the cursor; copied (decoded) into buf if want.
 * RECAP_OK, RECAP_ERR_RANGE (did not fit, but well-formed) or
 * RECAP_ERR_INVAL.
 */
static int take_value(struct cursor *c, bool want, char *buf, size_t size)
{
	size_t len = 0;
	char quote;

	if (at_end(c) || (*c->p != '"' && *c->p != '\''))
		return RECAP_ERR_INVAL;
	quote = *c->p++;
	while (!at_end(c) && *c->p != quote) {
		int ch = (unsigned char)*c->p++;

		if (ch == '<' || ch == '\0')
			return RECAP_ERR_INVAL;
		if (ch == '&' && (ch = entity(c)) < 0)
			return RECAP_ERR_INVAL;
		if (want && len + 1 < size)
			buf[len] = (char)ch;
		len++;
	}
	if (at_end(c))
		return RECAP_ERR_INVAL;
	c->p++;
	if (want && size)
		buf[len < size ? len : size - 1] = '\0';
	return want && len >= size ? RECAP_ERR_RANGE : RECAP_OK;
}

/* ---- tags -------------------------------------------------------------- */

/* One attribute of a start tag, as next_attr finds it. */
struct attr {
	char const *name;
	size_t name_len;
	char const *value;	/* its opening quote */
};

/*
 * The next attribute of the start tag at c (past its name or the last
 * attribute): 1 and *a; 0 at the tag's end (c at its '>' or "/>");
 * RECAP_ERR_INVAL if malformed.
 */
static int next_attr(struct cursor *c, struct attr *a)
{
	bool spaced = skip_space(c);

	if (looking_at(c, "/>") || looking_at(c, ">"))
		return 0;
	/* Attributes are separated from the name and each other. */
	a->name = c->p;
	if (!spaced || !(a->name_len = take_name(c)))
		return RECAP_ERR_INVAL;
	skip_space(c);
	if (at_end(c) || *c->p++ != '=')
		return RECAP_ERR_INVAL;
	skip_space(c);
	a->value = c->p;
	return take_value(c, false, NULL, 0) == RECAP_OK ? 1 : RECAP_ERR_INVAL;
}

/* Was attribute a given before, in the tag whose attributes start at first? */
static bool attr_seen(char const *first, struct attr const *a)
{
	struct cursor c = { .p = first, .end = a->name };
	struct attr prev;

	/* The part before a was checked already: it parses. */
	while (next_attr(&c, &prev) == 1)
		if (prev.name_len == a->name_len &&
		    !MEMCMP(prev.name, a->name, a->name_len))
			return true;
	return false;
}

struct tag {
	char const *name;
	size_t name_len;
	char const *attrs;	/* right after the name */
	bool empty;		/* "<x/>": no content, no end tag */
};

/* The start tag at c (its '<'), checked whole; c ends past it. */
static int take_start_tag(struct cursor *c, struct tag *t)
{
	struct attr a;
	int r;

	if (at_end(c) || *c->p != '<')
		return RECAP_ERR_INVAL;
	c->p++;
	t->name = c->p;
	if (!(t->name_len = take_name(c)))
		return RECAP_ERR_INVAL;
	t->attrs = c->p;
	while ((r = next_attr(c, &a)) == 1)
		if (attr_seen(t->attrs, &a))
			return RECAP_ERR_INVAL;
	if (r < 0)
		return r;
	t->empty = *c->p == '/';
	c->p += t->empty ? 2 : 1;
	return RECAP_OK;
}

/* The end tag at c ("</"), of the element named name; c ends past it. */
static bool take_end_tag(struct cursor *c, char const *name, size_t len)
{
	char const *start;
	size_t n;

	c->p += 2;
	start = c->p;
	n = take_name(c);
	if (n != len || MEMCMP(start, name, n))
		return false;
	skip_space(c);
	return !at_end(c) && *c->p++ == '>';
}

/*
 * Markup in content other than elements at c (at a '<'): a comment or a
 * CDATA section skipped (1), neither (0, c unmoved), or RECAP_ERR_INVAL.
 */
static int skip_markup(struct cursor *c)
{
	if (looking_at(c, "<!--"))
		return skip_comment(c) ? 1 : RECAP_ERR_INVAL;
	if (looking_at(c, "<![CDATA[")) {
		c->p += 9;
		return skip_past(c, "]]>") ? 1 : RECAP_ERR_INVAL;
	}
	return 0;
}

/* One byte (or entity) of text at c. */
static int take_text(struct cursor *c)
{
	char ch = *c->p++;

	if (ch == '\0' || (ch == '&' && entity(c) < 0))
		return RECAP_ERR_INVAL;
	return RECAP_OK;
}

/*
 * The element at c (its '<'), checked through its end tag; c ends past
 * it. RECAP_OK, RECAP_ERR_INVAL or RECAP_ERR_RANGE (elements nested
 * deeper than RECAP_XML_DEPTH_MAX, itself at depth 1).
 */
static int take_element(struct cursor *c)
{
	struct { char const *name; size_t len; } open[RECAP_XML_DEPTH_MAX];
	unsigned depth = 0;
	struct tag t;
	int err;

	if ((err = take_start_tag(c, &t)) != RECAP_OK)
		return err;
	if (t.empty)
		return RECAP_OK;
	open[depth].name = t.name;
	open[depth++].len = t.name_len;
	while (depth) {
		if (at_end(c))
			return RECAP_ERR_INVAL;	/* not closed */
		if (*c->p != '<') {
			err = take_text(c);
		} else if (looking_at(c, "</")) {
			depth--;
			err = take_end_tag(c, open[depth].name, open[depth].len)
			    ? RECAP_OK : RECAP_ERR_INVAL;
		} else if ((err = skip_markup(c)) != 0) {
			err = err < 0 ? err : RECAP_OK;
		} else if ((err = take_start_tag(c, &t)) == RECAP_OK) {
			if (depth >= RECAP_XML_DEPTH_MAX)
				return RECAP_ERR_RANGE;
			if (!t.empty) {
				open[depth].name = t.name;
				open[depth++].len = t.name_len;
			}
		}
		if (err != RECAP_OK)
			return err;
	}
	return RECAP_OK;
}

/* White space and comments (prolog and epilog): c ends at anything else. */
static bool skip_misc(struct cursor *c)
{
	for (;;) {
		skip_space(c);
		if (!looking_at(c, "<!--"))
			return true;
		if (!skip_comment(c))
			return false;
	}
}

int recap_xml_parse(char const *xml, size_t len, struct recap_xml_node *root)
{
	struct cursor c = { .p = xml, .end = xml + len };
	char const *start;
	int err;

	root->p = NULL;
	root->len = 0;
	for (size_t i = 0; i < len; i++)
		if (xml[i] == '\0')
			return RECAP_ERR_INVAL;
	/* The XML declaration, if any, comes first of all. */
	if (looking_at(&c, "<?xml") && c.p + 5 < c.end && is_space(c.p[5]) &&
	    !skip_past(&c, "?>"))
		return RECAP_ERR_INVAL;
	if (!skip_misc(&c))
		return RECAP_ERR_INVAL;
	start = c.p;
	if ((err = take_element(&c)) != RECAP_OK)
		return err;
	root->p = start;
	root->len = (size_t)(c.p - start);
	if (!skip_misc(&c) || !at_end(&c)) {
		root->p = NULL;
		root->len = 0;
		return RECAP_ERR_INVAL;
	}
	return RECAP_OK;
}

/* ---- nodes ------------------------------------------------------------- */

static struct cursor node_cursor(struct recap_xml_node const *n)
{
	struct cursor c = { .p = n->p, .end = n->p + n->len };

	if (!n->p)
		c.end = c.p;
	return c;
}

size_t recap_xml_type(struct recap_xml_node const *n, char const **name)
{
	struct cursor c = node_cursor(n);
	size_t len;

	*name = "";
	if (at_end(&c) || *c.p++ != '<')
		return 0;
	*name = c.p;
	if (!(len = take_name(&c)))
		*name = "";
	return len;
}

bool recap_xml_has_type(struct recap_xml_node const *n, char const *type)
{
	char const *name;
	size_t len = recap_xml_type(n, &name);

	return len && same_name(name, len, type);
}

int recap_xml_attr(struct recap_xml_node const *n, char const *key,
		   char *buf, size_t size)
{
	struct cursor c = node_cursor(n);
	struct tag t;
	struct attr a;
	int err;

	if (size)
		buf[0] = '\0';
	/* The whole tag is checked, not just up to key. */
	if ((err = take_start_tag(&c, &t)) != RECAP_OK)
		return err;
	c.p = t.attrs;
	while (next_attr(&c, &a) == 1) {
		if (same_name(a.name, a.name_len, key)) {
			c.p = a.value;
			return take_value(&c, true, buf, size);
		}
	}
	return RECAP_ERR_NOENT;
}

bool recap_xml_has_attr(struct recap_xml_node const *n, char const *key)
{
	char none[1];
	int err = recap_xml_attr(n, key, none, sizeof(none));

	return err == RECAP_OK || err == RECAP_ERR_RANGE;
}

static unsigned digit(char ch)
{
	return ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
	     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
	     : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
	     : 99;
}

int recap_xml_ulong_parse(char const *s, unsigned long *out)
{
	unsigned base = 10, shift = 0;
	unsigned long v = 0;
	char const *p = s;
	bool big = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p && digit(*p) < base; p++) {
		unsigned d = digit(*p);

		if (v > (~0UL - d) / base)
			big = true;
		v = v * base + d;
	}
	if (p == s + (base == 16 ? 2 : 0))
		return RECAP_ERR_INVAL;		/* no digits */
	if (base == 10)
		shift = *p == 'K' ? 10 : *p == 'M' ? 20 : *p == 'G' ? 30 : 0;
	if (shift)
		p++;
	if (*p)
		return RECAP_ERR_INVAL;
	if (big || v > (~0UL >> shift))
		return RECAP_ERR_RANGE;
	*out = v << shift;
	return RECAP_OK;
}

int recap_xml_attr_ulong(struct recap_xml_node const *n, char const *key,
			 unsigned long *out)
{
	char buf[64];
	int err = recap_xml_attr(n, key, buf, sizeof(buf));

	/* Longer than any number worth reading: not one. */
	if (err == RECAP_ERR_RANGE)
		return RECAP_ERR_INVAL;
	return err == RECAP_OK ? recap_xml_ulong_parse(buf, out) : err;
}

/*
 * The next sub-node of type (NULL: any) at c, in the content of an
 * element: RECAP_OK and *sub, RECAP_ERR_NOENT at its end tag.
 */
static int next_sub(struct cursor *c, char const *type,
		    struct recap_xml_node *sub)
{
	int err;

	for (;;) {
		char const *start = c->p;

		if (at_end(c))
			return RECAP_ERR_INVAL;
		if (*c->p != '<') {
			err = take_text(c);
		} else if (looking_at(c, "</")) {
			return RECAP_ERR_NOENT;
		} else if ((err = skip_markup(c)) != 0) {
			err = err < 0 ? err : RECAP_OK;
		} else if ((err = take_element(c)) ==
			   RECAP_OK) {
			sub->p = start;
			sub->len = (size_t)(c->p - start);
			if (!type || recap_xml_has_type(sub, type))
				return RECAP_OK;
		}
		if (err != RECAP_OK)
			return err;
	}
}

int recap_xml_sub_first(struct recap_xml_node const *n, char const *type,
			struct recap_xml_node *sub)
{
	struct cursor c = node_cursor(n);
	struct tag t;
	int err;

	if ((err = take_start_tag(&c, &t)) != RECAP_OK)
		return err;
	if (t.empty)
		return RECAP_ERR_NOENT;
	return next_sub(&c, type, sub);
}

int recap_xml_sub_next(struct recap_xml_node const *n, char const *type,
		       struct recap_xml_node *sub)
{
	struct cursor c = node_cursor(n);

	/* Strictly inside n, after its start tag's '<'. */
	if (!sub->p || sub->p <= c.p || sub->p > c.end ||
	    sub->len > (size_t)(c.end - sub->p))
		return RECAP_ERR_INVAL;
	c.p = sub->p + sub->len;
	return next_sub(&c, type, sub);
}

unsigned recap_xml_sub_count(struct recap_xml_node const *n,
			     char const *type)
{
	struct recap_xml_node sub;
	unsigned count = 0;

	for (int e = recap_xml_sub_first(n, type, &sub); e == RECAP_OK;
	     e = recap_xml_sub_next(n, type, &sub))
		count++;
	return count;
}

int recap_xml_content(struct recap_xml_node const *n, char const **p,
		      size_t *len)
{
	struct cursor c = node_cursor(n);
	char const *last;
	struct tag t;
	int err;

	*p = NULL;
	*len = 0;
	if ((err = take_start_tag(&c, &t)) != RECAP_OK)
		return err;
	*p = c.p;
	if (t.empty)
		return at_end(&c) ? RECAP_OK : RECAP_ERR_INVAL;
	/* The end tag "</name>" holds no '<' but its first. */
	for (last = c.end; last > c.p && last[-1] != '<'; last--)
		;
	if (last == c.p) {
		*p = NULL;
		return RECAP_ERR_INVAL;
	}
	c.p = last - 1;
	if (!looking_at(&c, "</") || !take_end_tag(&c, t.name, t.name_len) ||
	    !at_end(&c)) {
		*p = NULL;
		return RECAP_ERR_INVAL;
	}
	*len = (size_t)(last - 1 - *p);
	return RECAP_OK;
}

int recap_xml_copy(struct recap_xml_node const *n, char *buf, size_t size)
{
	if (!size)
		return RECAP_ERR_RANGE;
	if (n->len >= size || !n->p) {
		buf[0] = '\0';
		return n->p ? RECAP_ERR_RANGE : RECAP_ERR_INVAL;
	}
	RECAP_STRING_NAME(memcpy)(buf, n->p, n->len);
	buf[n->len] = '\0';
	return RECAP_OK;
}

/* ---- <start> ------------------------------------------------------------ */

/* Does n have only attributes of the NULL-terminated list allowed? */
static bool attrs_only(struct recap_xml_node const *n,
		       char const *const *allowed)
{
	struct cursor c = node_cursor(n);
	struct tag t;
	struct attr a;
	int r;

	if (take_start_tag(&c, &t) != RECAP_OK)
		return false;
	c.p = t.attrs;
	while ((r = next_attr(&c, &a)) == 1) {
		char const *const *k = allowed;

		while (*k && !same_name(a.name, a.name_len, *k))
			k++;
		if (!*k)
			return false;
	}
	return r == 0;
}

/* Is n's content only white space, comments and (if !leaf) elements? */
static bool blank_content(struct recap_xml_node const *n, bool leaf)
{
	char const *p;
	size_t len;
	struct cursor c;
	int err;

	if (recap_xml_content(n, &p, &len) != RECAP_OK)
		return false;
	c.p = p;
	c.end = p + len;
	for (;;) {
		if (!skip_misc(&c))
			return false;
		if (at_end(&c))
			return true;
		if (leaf || *c.p != '<' || looking_at(&c, "<![CDATA["))
			return false;
		if ((err = take_element(&c)) != RECAP_OK)
			return false;
	}
}

/* A name as the scenario takes it (tools/sxml.c: sxml_name_ok). */
static bool name_ok(char const *s)
{
	size_t len = STRLEN(s);

	if (!len || !RECAP_STRING_NAME(strcmp)(s, ".") ||
	    !RECAP_STRING_NAME(strcmp)(s, ".."))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return false;
	return true;
}

/* Attribute "name" of n as a name into buf (RECAP_START_NAME_MAX + 1). */
static int read_name(struct recap_xml_node const *n, char *buf,
		     struct recap_start_info *info, char const *what)
{
	int err = recap_xml_attr(n, "name", buf, RECAP_START_NAME_MAX + 1);

	if (err == RECAP_OK && name_ok(buf))
		return RECAP_OK;
	info->why = err == RECAP_ERR_NOENT ? "a name is required" : what;
	return RECAP_ERR_INVAL;
}

/* A number attribute at least 1; RECAP_ERR_NOENT: absent. */
static int read_count(struct recap_xml_node const *n, char const *key,
		      bool suffix, unsigned long *out,
		      struct recap_start_info *info, char const *what)
{
	char buf[64];
	int err = recap_xml_attr(n, key, buf, sizeof(buf));

	if (err == RECAP_ERR_NOENT)
		return err;
	if (err == RECAP_OK) {
		bool digits = true;

		/*
		 * Decimal only, as the scenario reads them: caps plain, a
		 * quantum with an optional K, M or G (no 0x).
		 */
		for (char const *p = buf; *p; p++)
			digits = digits && ((*p >= '0' && *p <= '9') ||
					    (suffix && !p[1] && p != buf));
		err = digits ? recap_xml_ulong_parse(buf, out) : RECAP_ERR_INVAL;
		if (err == RECAP_OK && *out == 0)
			err = RECAP_ERR_INVAL;
	} else {
		err = RECAP_ERR_INVAL;
	}
	if (err != RECAP_OK)
		info->why = what;
	return err;
}

/* A <resource>: name="RAM" and its quantum. */
static int read_resource(struct recap_xml_node const *r,
			 struct recap_start_info *info)
{
	static char const *const attrs[] = { "name", "quantum", NULL };
	char name[8];
	int err;

	if (!attrs_only(r, attrs) || !blank_content(r, true)) {
		info->why = "<resource> takes name and quantum only";
		return RECAP_ERR_INVAL;
	}
	if (recap_xml_attr(r, "name", name, sizeof(name)) != RECAP_OK ||
	    RECAP_STRING_NAME(strcmp)(name, "RAM")) {
		info->why = "unknown resource (only \"RAM\")";
		return RECAP_ERR_INVAL;
	}
	if (info->ram_quota) {
		info->why = "second <resource name=\"RAM\">";
		return RECAP_ERR_INVAL;
	}
	err = read_count(r, "quantum", true, &info->ram_quota, info,
			 "quantum is not a number of bytes (digits, "
			 "optionally followed by K, M or G; at least 1)");
	if (err == RECAP_ERR_NOENT) {
		info->why = "<resource> without quantum";
		return RECAP_ERR_INVAL;
	}
	return err;
}

/* One sub-node of <start>. */
static int read_start_sub(struct recap_xml_node const *s,
			  struct recap_start_info *info)
{
	static char const *const attrs_name[] = { "name", NULL };

	if (recap_xml_has_type(s, "binary")) {
		if (info->binary[0]) {
			info->why = "second <binary>";
			return RECAP_ERR_INVAL;
		}
		if (!attrs_only(s, attrs_name) || !blank_content(s, true)) {
			info->why = "<binary> takes a name only";
			return RECAP_ERR_INVAL;
		}
		return read_name(s, info->binary, info,
				 "<binary name>: not a valid name");
	}
	if (recap_xml_has_type(s, "resource"))
		return read_resource(s, info);
	if (recap_xml_has_type(s, "config")) {
		if (info->config) {
			info->why = "second <config>";
			return RECAP_ERR_INVAL;
		}
		info->config = s->p;
		info->config_len = s->len;
		return RECAP_OK;
	}
	info->why = "unknown element (only <binary>, <resource>, <config>)";
	return RECAP_ERR_INVAL;
}

int recap_start_node_read(struct recap_xml_node const *start,
			  struct recap_start_info *info)
{
	static char const *const attrs[] = { "name", "caps", NULL };
	struct recap_xml_node sub;
	int err;

	RECAP_STRING_NAME(memset)(info, 0, sizeof(*info));
	if (!recap_xml_has_type(start, "start")) {
		info->why = "not a <start> node";
		return RECAP_ERR_INVAL;
	}
	/* The name first: what follows goes wrong under it, in a log. */
	if ((err = read_name(start, info->name, info,
			     "<start name>: not a valid name")) != RECAP_OK)
		return err;
	if (!attrs_only(start, attrs)) {
		info->why = "<start> takes name and caps only";
		return RECAP_ERR_INVAL;
	}
	if (!blank_content(start, false)) {
		info->why = "text in <start>";
		return RECAP_ERR_INVAL;
	}
	err = read_count(start, "caps", false, &info->caps, info,
			 "caps is not a number (decimal digits, at least 1)");
	if (err != RECAP_OK && err != RECAP_ERR_NOENT)
		return err;
	for (err = recap_xml_sub_first(start, NULL, &sub); err == RECAP_OK;
	     err = recap_xml_sub_next(start, NULL, &sub)) {
		int e = read_start_sub(&sub, info);

		if (e != RECAP_OK)
			return e;
	}
	if (err != RECAP_ERR_NOENT) {
		info->why = "malformed <start>";
		return RECAP_ERR_INVAL;
	}
	if (!info->binary[0])
		RECAP_STRING_NAME(strlcpy)(info->binary, info->name,
					   sizeof(info->binary));
	return RECAP_OK;
}
