#!/usr/bin/env python3
"""Generates core/src/main/java/io/pgloom/internal/types/BuiltinTypeOids.java from PostgreSQL's pg_type.

The table holds, for every type PostgreSQL creates itself (OIDs below 10000), its OID, name,
array type's OID (typarray), element type's OID (typelem), category (typcategory) and length
(typlen), in arrays indexed by OID. BuiltinTypes takes its OIDs, names and array OIDs from it.
Two inputs give the table; neither is committed here.

1. PostgreSQL's src/include/catalog/pg_type.dat, the file its build turns into the pg_type
   catalog (the preferred input). Fetch the version you want and run this script on it:

    curl -fsSL -o /tmp/pg_type.dat \\
        https://raw.githubusercontent.com/postgres/postgres/REL_17_STABLE/src/include/catalog/pg_type.dat
    python3 core/src/build/generate-builtin-types.py /tmp/pg_type.dat \\
        core/src/main/java/io/pgloom/internal/types/BuiltinTypeOids.java \\
        --source "postgres/postgres REL_17_STABLE, <commit>"

2. A server's own catalog, as psql prints it (unaligned, '|' between fields; tab- or
   comma-separated output, and a header line starting with "oid", are accepted too):

    psql -At -c "select oid, typname, typarray, typelem, typcategory, typlen from pg_type where oid < 10000 order by oid" \\
        > /tmp/pg_type.txt
    python3 core/src/build/generate-builtin-types.py /tmp/pg_type.txt \\
        core/src/main/java/io/pgloom/internal/types/BuiltinTypeOids.java --source "PostgreSQL 17.5 pg_type"

   A server also lists the row types of its shared catalogs (pg_database, pg_authid, ...),
   which are declared in the catalog headers rather than in pg_type.dat; otherwise the two
   inputs give the same rows for the same version.

Without an output path the Java source goes to standard output. Python 3.8+, standard library
only. The output is deterministic: rows and constants are sorted by OID, and running the
script twice on the same input gives the same bytes.

How pg_type.dat is read, as PostgreSQL's genbki.pl reads it: the file is a list of hashes
({ key => 'value', ... }) with '#' comments. typtype defaults to 'b'. An entry with
array_type_oid also declares its array type: named '_' + typname, typcategory 'A', typlen -1,
typelem the entry itself, and the entry's typarray is that OID. typelem and typarray may name a
type instead of giving its OID. typlen may be a symbol: NAMEDATALEN is 64 and SIZEOF_POINTER
is 8 (a 64-bit build, which is what every server pgloom supports is in practice).

Each type becomes an int constant named after typname in upper case, an array type '_foo'
becoming FOO_ARRAY. The script fails, writing nothing, when the input breaks an assumption: a
line or token it cannot parse, a missing or malformed field, an OID outside 1..9999, an OID or
name given twice, a typelem or typarray naming no type (an OID of 10000 or more, which a
server's listing leaves out, is kept as a number), an array type whose typelem does not
point back to its element, two constants with one name, or an input without bool (16),
int4 (23) and text (25), which means it is not a pg_type listing at all.
"""

import argparse
import re
import sys

LIMIT = 10000
SYMBOLIC_TYPLEN = {"NAMEDATALEN": 64, "SIZEOF_POINTER": 8}
TOKEN = re.compile(r"\s+|#[^\n]*|=>|[{}\[\],]|'(?:[^'\\]|\\.)*'|[A-Za-z_][A-Za-z0-9_]*")
NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
CATEGORY = re.compile(r"^[A-Z]$")
INTEGER = re.compile(r"^-?[0-9]+$")


def fail(where, message):
    sys.exit(f"{where}: {message}")


def tokens(path, text):
    """The .dat file's tokens as (kind, value, line): '{', '}', '[', ']', ',', '=>', 'word', 'string'."""
    out = []
    at, line = 0, 1
    while at < len(text):
        m = TOKEN.match(text, at)
        if not m:
            fail(f"{path}:{line}", f"cannot parse {text[at:at + 20]!r}")
        t = m.group(0)
        if t[0] == "'":
            out.append(("string", re.sub(r"\\(.)", r"\1", t[1:-1]), line))
        elif t[0].isalpha() or t[0] == "_":
            out.append(("word", t, line))
        elif not t[0].isspace() and t[0] != "#":
            out.append((t, t, line))
        line += t.count("\n")
        at = m.end()
    return out


def parse_dat(path, text):
    """The entries of pg_type.dat as dicts of strings, each with its line number under '_line'."""
    toks = tokens(path, text)
    pos = 0

    def expect(kind):
        nonlocal pos
        if pos >= len(toks) or toks[pos][0] != kind:
            got = toks[pos] if pos < len(toks) else ("end of file", "", toks[-1][2] if toks else 1)
            fail(f"{path}:{got[2]}", f"expected {kind!r}, found {got[1] or got[0]!r}")
        pos += 1
        return toks[pos - 1]

    expect("[")
    entries = []
    while pos < len(toks) and toks[pos][0] == "{":
        start = expect("{")
        entry = {"_line": start[2]}
        while toks[pos][0] != "}":
            key = expect("word")
            expect("=>")
            value = expect("string")
            if key[1] in entry:
                fail(f"{path}:{key[2]}", f"{key[1]} given twice")
            entry[key[1]] = value[1]
            if toks[pos][0] == ",":
                pos += 1
        expect("}")
        entries.append(entry)
        if pos < len(toks) and toks[pos][0] == ",":
            pos += 1
    expect("]")
    if pos != len(toks):
        fail(f"{path}:{toks[pos][2]}", f"unexpected {toks[pos][1]!r} after the list")
    return entries


def rows_from_dat(path, entries):
    """Rows as dicts: oid, name, array, elem, category, length (ints, or names still to resolve)."""
    rows = []
    for e in entries:
        where = f"{path}:{e['_line']}"
        for key in ("oid", "typname", "typlen", "typcategory"):
            if key not in e:
                fail(where, f"entry without {key}")
        typlen = e["typlen"]
        if typlen in SYMBOLIC_TYPLEN:
            typlen = SYMBOLIC_TYPLEN[typlen]
        elif INTEGER.match(typlen):
            typlen = int(typlen)
        else:
            fail(where, f"typlen {typlen!r} is neither a number nor a known symbol")
        row = {"oid": number(where, "oid", e["oid"]), "name": e["typname"], "category": e["typcategory"],
               "length": typlen, "elem": e.get("typelem", "0"), "array": e.get("typarray", "0"), "where": where}
        rows.append(row)
        if "array_type_oid" in e:
            if row["array"] != "0":
                fail(where, "both array_type_oid and typarray")
            row["array"] = e["array_type_oid"]
            rows.append({"oid": number(where, "array_type_oid", e["array_type_oid"]), "name": "_" + e["typname"],
                         "category": "A", "length": -1, "elem": e["oid"], "array": "0", "where": where})
    return rows


def rows_from_psql(path, text):
    rows = []
    lines = [(n, l.rstrip("\r\n")) for n, l in enumerate(text.splitlines(True), 1) if l.strip()]
    if not lines:
        fail(path, "empty input")
    first = lines[0][1]
    sep = "|" if "|" in first else "\t" if "\t" in first else ","
    for n, line in lines:
        where = f"{path}:{n}"
        if re.match(r"^\(\d+ rows?\)$", line.strip()):
            continue  # psql's footer, when run without -t
        fields = line.split(sep)
        if len(fields) != 6:
            fail(where, f"expected 6 fields (oid, typname, typarray, typelem, typcategory, typlen), found {len(fields)}")
        fields = [f.strip() for f in fields]
        if n == lines[0][0] and fields[0] == "oid":
            continue  # a header line
        oid, name, array, elem, category, length = fields
        rows.append({"oid": number(where, "oid", oid), "name": name, "array": array, "elem": elem,
                     "category": category, "length": number(where, "typlen", length), "where": where})
    return rows


def number(where, what, text):
    if not INTEGER.match(text):
        fail(where, f"{what} {text!r} is not a number")
    return int(text)


def resolve(rows):
    """Checks the rows and turns typelem and typarray names into OIDs; returns rows by OID."""
    by_oid, by_name = {}, {}
    for r in rows:
        if not 0 < r["oid"] < LIMIT:
            fail(r["where"], f"OID {r['oid']} is outside 1..{LIMIT - 1}")
        if r["oid"] in by_oid:
            fail(r["where"], f"OID {r['oid']} already used by {by_oid[r['oid']]['name']} ({by_oid[r['oid']]['where']})")
        if not NAME.match(r["name"]):
            fail(r["where"], f"type name {r['name']!r} is not a plain identifier")
        if r["name"] in by_name:
            fail(r["where"], f"type name {r['name']} already used ({by_name[r['name']]['where']})")
        if not CATEGORY.match(r["category"]):
            fail(r["where"], f"typcategory {r['category']!r} is not one upper-case letter")
        if not -2 <= r["length"] <= 32767 or r["length"] == 0:
            fail(r["where"], f"typlen {r['length']} is not -2, -1 or a positive size")
        by_oid[r["oid"]] = r
        by_name[r["name"]] = r
    for r in rows:
        for key in ("elem", "array"):
            ref = r[key]
            if isinstance(ref, int):
                continue
            if ref in ("0", "-"):
                r[key] = 0
            elif INTEGER.match(ref):
                # A server's listing stops at OID 9999; initdb gives the shared catalogs' row
                # types array types above that, which stay plain numbers here.
                if int(ref) not in by_oid and int(ref) < LIMIT:
                    fail(r["where"], f"{key} {ref} is not a type in the input")
                r[key] = int(ref)
            elif ref in by_name:
                r[key] = by_name[ref]["oid"]
            else:
                fail(r["where"], f"{key} {ref!r} names no type in the input")
    for r in rows:
        if r["array"] in by_oid and by_oid[r["array"]]["elem"] != r["oid"]:
            fail(r["where"], f"{r['name']}'s array type {by_oid[r['array']]['name']} has another element type")
    for oid, name in ((16, "bool"), (23, "int4"), (25, "text")):
        if by_oid.get(oid, {}).get("name") != name:
            fail(rows[0]["where"].split(":")[0], f"no {name} with OID {oid}: is this pg_type.dat or a pg_type listing?")
    return by_oid


def constant(name):
    return name[1:].upper() + "_ARRAY" if name.startswith("_") else name.upper()


def render(by_oid, source):
    oids = sorted(by_oid)
    names = {}
    for oid in oids:
        c = constant(by_oid[oid]["name"])
        if c in names or c in ("LIMIT", "NAMES", "ARRAY_TYPES", "ELEMENT_TYPES", "CATEGORIES", "LENGTHS", "ALL"):
            fail(by_oid[oid]["where"], f"constant {c} would be declared twice")
        names[c] = oid
    out = []
    w = out.append
    w("package io.pgloom.internal.types;")
    w("")
    w("// GENERATED by core/src/build/generate-builtin-types.py from PostgreSQL's pg_type")
    w("// (src/include/catalog/pg_type.dat, or a server's pg_type listing). Do not edit;")
    w("// regenerate with the command in the script's header.")
    if source:
        w(f"// Source: {source}")
    w("")
    w("/**")
    w(" * The types PostgreSQL creates itself, OIDs below {@link #LIMIT}: a constant per type and, in")
    w(" * arrays indexed by OID, each type's name, array type, element type, category and length.")
    w(" *")
    w(" * <p>{@link BuiltinTypes} takes its OIDs, names and array types from here, so that finding a")
    w(" * built-in type is one array read. An OID with no type has a null name and zeros elsewhere.")
    w(" * Lengths are {@code typlen}: a positive size, -1 for varlena types, -2 for C strings.")
    w(" * Categories are {@code typcategory} ({@code 'A'} array, {@code 'N'} numeric, {@code 'S'}")
    w(" * string, ...). The arrays are filled once, when the class initialises, and never written")
    w(" * again: thread-safe to read. Nothing outside this package may change them.")
    w(" */")
    w("final class BuiltinTypeOids {")
    w("")
    w("    private BuiltinTypeOids() {")
    w("    }")
    w("")
    w("    /** Every OID below this is assigned by PostgreSQL itself (FirstGenbkiObjectId). */")
    w(f"    static final int LIMIT = {LIMIT:_};")
    w("")
    for oid in oids:
        r = by_oid[oid]
        w(f"    static final int {constant(r['name'])} = {oid};")
    w("")
    w("    /** typname by OID; null where PostgreSQL has no built-in type. */")
    w("    static final String[] NAMES = new String[LIMIT];")
    w("    /** typarray by OID: the OID of the type's array type, 0 when it has none. */")
    w("    static final int[] ARRAY_TYPES = new int[LIMIT];")
    w("    /** typelem by OID: for an array type (and a few fixed-length types such as point), its element's OID. */")
    w("    static final int[] ELEMENT_TYPES = new int[LIMIT];")
    w("    /** typcategory by OID. */")
    w("    static final char[] CATEGORIES = new char[LIMIT];")
    w("    /** typlen by OID. */")
    w("    static final short[] LENGTHS = new short[LIMIT];")
    w("")
    w("    /** The OIDs of every type here, ascending. */")
    w("    private static final int[] ALL = {")
    line = "       "
    for oid in oids:
        item = f" {constant(by_oid[oid]['name'])},"
        if len(line) + len(item) > 100:
            w(line)
            line = "       "
        line += item
    w(line)
    w("    };")
    w("")
    w("    static {")
    w("        //  oid, typname, typarray, typelem, typcategory, typlen")
    for oid in oids:
        r = by_oid[oid]
        array = constant(by_oid[r["array"]]["name"]) if r["array"] in by_oid else str(r["array"])
        elem = constant(by_oid[r["elem"]]["name"]) if r["elem"] in by_oid else str(r["elem"])
        w(f"        row({constant(r['name'])}, \"{r['name']}\", {array}, {elem}, '{r['category']}', {r['length']});")
    w("    }")
    w("")
    w("    private static void row(int oid, String name, int array, int element, char category, int length) {")
    w("        NAMES[oid] = name;")
    w("        ARRAY_TYPES[oid] = array;")
    w("        ELEMENT_TYPES[oid] = element;")
    w("        CATEGORIES[oid] = category;")
    w("        LENGTHS[oid] = (short) length;")
    w("    }")
    w("")
    w("    /** True when PostgreSQL has a built-in type with this OID. */")
    w("    static boolean exists(int oid) {")
    w("        return oid >= 0 && oid < LIMIT && NAMES[oid] != null;")
    w("    }")
    w("")
    w("    /** The OIDs of every built-in type, ascending; a new array on each call. */")
    w("    static int[] all() {")
    w("        return ALL.clone();")
    w("    }")
    w("}")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description="Generate io.pgloom.internal.types.BuiltinTypeOids from PostgreSQL's pg_type.")
    p.add_argument("input", help="PostgreSQL's src/include/catalog/pg_type.dat, or psql -At output of the query in this script's header")
    p.add_argument("output", nargs="?", help="where to write BuiltinTypeOids.java (default: standard output)")
    p.add_argument("--source", default="", help="where the input came from, recorded in the header")
    args = p.parse_args()

    with open(args.input, encoding="utf-8") as f:
        text = f.read()
    significant = [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]
    if significant and significant[0].startswith("["):
        rows = rows_from_dat(args.input, parse_dat(args.input, text))
    else:
        rows = rows_from_psql(args.input, text)
    if not rows:
        fail(args.input, "no types found")
    by_oid = resolve(rows)
    text = render(by_oid, args.source)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
