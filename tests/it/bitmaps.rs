//! Bitmap commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.

use crate::support::*;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const SYNTAX: &str = "ERR syntax error";
const BAD_OFFSET: &str = "ERR bit offset is not an integer or out of range";
const BAD_TYPE: &str =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

#[test]
fn setbit_getbit() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["GETBIT", "b", "0"], int(0));
        c.expect(&["GETBIT", "b", "100"], int(0));
        c.expect(&["SETBIT", "b", "7", "1"], int(0));
        c.expect(&["GET", "b"], bulk(b"\x01"));
        c.expect(&["SETBIT", "b", "7", "1"], int(1));
        c.expect(&["SETBIT", "b", "0", "1"], int(0));
        c.expect(&["GET", "b"], bulk(b"\x81"));
        c.expect(&["GETBIT", "b", "0"], int(1));
        c.expect(&["GETBIT", "b", "1"], int(0));
        c.expect(&["GETBIT", "b", "7"], int(1));
        c.expect(&["GETBIT", "b", "8"], int(0));
        c.expect(&["GETBIT", "b", "1000000"], int(0));
        // Growing pads with zero bytes.
        c.expect(&["SETBIT", "b", "23", "1"], int(0));
        c.expect(&["GET", "b"], bulk(b"\x81\x00\x01"));
        c.expect(&["SETBIT", "b", "0", "0"], int(1));
        c.expect(&["GET", "b"], bulk(b"\x01\x00\x01"));
        // Clearing a bit past the end still grows the string.
        c.expect(&["SETBIT", "z", "15", "0"], int(0));
        c.expect(&["GET", "z"], bulk(b"\x00\x00"));
        // On an integer-encoded string ("1" is 0x31).
        c.ok(&["SET", "n", "1"]);
        c.expect(&["GETBIT", "n", "2"], int(1));
        c.expect(&["GETBIT", "n", "3"], int(1));
        c.expect(&["GETBIT", "n", "7"], int(1));
        c.expect(&["SETBIT", "n", "6", "1"], int(0));
        c.expect(&["GET", "n"], bulk("3"));
        // Errors.
        c.expect(&["SETBIT", "b", "-1", "1"], err(BAD_OFFSET));
        c.expect(&["SETBIT", "b", "abc", "1"], err(BAD_OFFSET));
        c.expect(&["SETBIT", "b", "4294967296", "1"], err(BAD_OFFSET));
        c.expect(&["GETBIT", "b", "-1"], err(BAD_OFFSET));
        c.expect(&["GETBIT", "b", "4294967296"], err(BAD_OFFSET));
        c.expect(&["GETBIT", "b", "x"], err(BAD_OFFSET));
        let bad_bit = "ERR bit is not an integer or out of range";
        c.expect(&["SETBIT", "b", "0", "2"], err(bad_bit));
        c.expect(&["SETBIT", "b", "0", "-1"], err(bad_bit));
        c.expect(&["SETBIT", "b", "0", "x"], err(bad_bit));
        c.expect(&["SETBIT", "b", "0", ""], err(bad_bit));
        // Offsets are limited by proto-max-bulk-len.
        c.ok(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]);
        c.expect(&["SETBIT", "big", "8388608", "1"], err(BAD_OFFSET));
        c.expect(&["SETBIT", "big", "8388607", "1"], int(0));
        c.expect(&["STRLEN", "big"], int(1048576));
        c.expect(&["GETBIT", "big", "8388608"], err(BAD_OFFSET));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["SETBIT", "list", "0", "1"], err(WRONGTYPE));
        c.expect(&["GETBIT", "list", "0"], err(WRONGTYPE));
        c.expect(&["SETBIT", "b", "0"], err(&arity("setbit")));
        c.expect(&["GETBIT", "b"], err(&arity("getbit")));
    });
}

#[test]
fn bitcount() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["BITCOUNT", "missing"], int(0));
        c.expect(&["BITCOUNT", "missing", "0", "-1"], int(0));
        c.ok(&["SET", "k", "foobar"]);
        c.expect(&["BITCOUNT", "k"], int(26));
        c.expect(&["BITCOUNT", "k", "0", "0"], int(4));
        c.expect(&["BITCOUNT", "k", "1", "1"], int(6));
        c.expect(&["BITCOUNT", "k", "1", "1", "BYTE"], int(6));
        c.expect(&["BITCOUNT", "k", "0", "-1"], int(26));
        c.expect(&["BITCOUNT", "k", "-2", "-1"], int(7));
        c.expect(&["BITCOUNT", "k", "5", "30", "BIT"], int(17));
        c.expect(&["BITCOUNT", "k", "5", "30", "bit"], int(17));
        c.expect(&["BITCOUNT", "k", "0", "-1", "BIT"], int(26));
        c.expect(&["BITCOUNT", "k", "-8", "-1", "BIT"], int(4));
        c.expect(&["BITCOUNT", "k", "3", "1"], int(0));
        c.expect(&["BITCOUNT", "k", "100", "200"], int(0));
        c.expect(&["BITCOUNT", "k", "-100", "100"], int(26));
        // Both ends clamp to byte 0 (Redis 7.0 quirk, like GETRANGE).
        c.expect(&["BITCOUNT", "k", "-100", "-50"], int(4));
        c.expect(&["BITCOUNT", "k", "0", "-100"], int(4));
        c.ok(&["SET", "ones", "\u{7f}"]);
        c.expect(&["BITCOUNT", "ones"], int(7));
        // Errors.
        c.expect(&["BITCOUNT", "k", "0"], err(SYNTAX));
        c.expect(&["BITCOUNT", "k", "0", "1", "FOO"], err(SYNTAX));
        c.expect(&["BITCOUNT", "k", "0", "1", "BIT", "x"], err(SYNTAX));
        c.expect(&["BITCOUNT", "k", "a", "1"], err(NOT_INT));
        c.expect(&["BITCOUNT", "k", "0", "1.5"], err(NOT_INT));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["BITCOUNT", "list"], err(WRONGTYPE));
        c.expect(&["BITCOUNT"], err(&arity("bitcount")));
    });
}

#[test]
fn bitpos() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["BITPOS", "missing", "1"], int(-1));
        c.expect(&["BITPOS", "missing", "0"], int(0));
        c.expect(&["BITPOS", "missing", "0", "5"], int(0));
        c.set("k", b"\xff\xf0\x00");
        c.expect(&["BITPOS", "k", "0"], int(12));
        c.expect(&["BITPOS", "k", "1"], int(0));
        c.expect(&["BITPOS", "k", "1", "1"], int(8));
        c.expect(&["BITPOS", "k", "1", "2"], int(-1));
        c.expect(&["BITPOS", "k", "0", "2"], int(16));
        c.expect(&["BITPOS", "k", "1", "2", "-1", "BYTE"], int(-1));
        c.expect(&["BITPOS", "k", "0", "1", "-1"], int(12));
        c.expect(&["BITPOS", "k", "1", "7", "15", "BIT"], int(7));
        c.expect(&["BITPOS", "k", "0", "7", "15", "BIT"], int(12));
        c.expect(&["BITPOS", "k", "1", "12", "-1", "BIT"], int(-1));
        c.expect(&["BITPOS", "k", "0", "-3", "-1", "bit"], int(21));
        c.expect(&["BITPOS", "k", "1", "5", "2"], int(-1));
        c.set("ones", b"\xff\xff\xff");
        // Looking for a clear bit in an all-ones string: without an explicit
        // end the string is considered padded with zeros on the right.
        c.expect(&["BITPOS", "ones", "0"], int(24));
        c.expect(&["BITPOS", "ones", "0", "0"], int(24));
        c.expect(&["BITPOS", "ones", "0", "0", "-1"], int(-1));
        c.expect(&["BITPOS", "ones", "0", "0", "-1", "BIT"], int(-1));
        c.set("zeros", b"\x00\x00");
        c.expect(&["BITPOS", "zeros", "1"], int(-1));
        c.expect(&["BITPOS", "zeros", "0"], int(0));
        c.ok(&["SET", "e", ""]);
        c.expect(&["BITPOS", "e", "1"], int(-1));
        // An existing empty string has no clear bit either.
        c.expect(&["BITPOS", "e", "0"], int(-1));
        // Errors.
        let bad_bit = "ERR The bit argument must be 1 or 0.";
        c.expect(&["BITPOS", "k", "2"], err(bad_bit));
        c.expect(&["BITPOS", "k", "-1"], err(bad_bit));
        c.expect(&["BITPOS", "k", "x"], err(NOT_INT));
        c.expect(&["BITPOS", "k", "1", "x"], err(NOT_INT));
        c.expect(&["BITPOS", "k", "1", "0", "x"], err(NOT_INT));
        c.expect(&["BITPOS", "k", "1", "0", "1", "FOO"], err(SYNTAX));
        c.expect(&["BITPOS", "k", "1", "0", "1", "BIT", "x"], err(SYNTAX));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["BITPOS", "list", "1"], err(WRONGTYPE));
        c.expect(&["BITPOS", "k"], err(&arity("bitpos")));
    });
}

#[test]
fn bitop() {
    each_server(|s| {
        let mut c = s.connect();
        c.set("a", b"\xf0\x0f\xff");
        c.set("b", b"\x3c\x3c");
        c.expect(&["BITOP", "AND", "d", "a", "b"], int(3));
        c.expect(&["GET", "d"], bulk(b"\x30\x0c\x00"));
        c.expect(&["BITOP", "OR", "d", "a", "b"], int(3));
        c.expect(&["GET", "d"], bulk(b"\xfc\x3f\xff"));
        c.expect(&["BITOP", "XOR", "d", "a", "b"], int(3));
        c.expect(&["GET", "d"], bulk(b"\xcc\x33\xff"));
        c.expect(&["BITOP", "NOT", "d", "b"], int(2));
        c.expect(&["GET", "d"], bulk(b"\xc3\xc3"));
        c.expect(&["bitop", "and", "d", "a"], int(3));
        c.expect(&["GET", "d"], bulk(b"\xf0\x0f\xff"));
        // Missing keys count as empty (zero) strings.
        c.expect(&["BITOP", "OR", "d", "a", "missing"], int(3));
        c.expect(&["GET", "d"], bulk(b"\xf0\x0f\xff"));
        c.expect(&["BITOP", "AND", "d", "a", "missing"], int(3));
        c.expect(&["GET", "d"], bulk(b"\x00\x00\x00"));
        // All sources missing: destination is deleted.
        c.ok(&["SET", "d", "x"]);
        c.expect(&["BITOP", "OR", "d", "m1", "m2"], int(0));
        c.expect(&["EXISTS", "d"], int(0));
        c.ok(&["SET", "d", "x"]);
        c.expect(&["BITOP", "NOT", "d", "m1"], int(0));
        c.expect(&["EXISTS", "d"], int(0));
        // Destination may be a source, and may hold another type.
        c.expect(&["BITOP", "NOT", "a", "a"], int(3));
        c.expect(&["GET", "a"], bulk(b"\x0f\xf0\x00"));
        c.expect(&["RPUSH", "list", "x"], int(1));
        c.expect(&["BITOP", "OR", "list", "b"], int(2));
        c.expect(&["TYPE", "list"], status("string"));
        // Errors.
        c.expect(&["RPUSH", "l2", "x"], int(1));
        c.expect(&["BITOP", "AND", "d", "a", "l2"], err(WRONGTYPE));
        c.expect(
            &["BITOP", "NOT", "d", "a", "b"],
            err("ERR BITOP NOT must be called with a single source key."),
        );
        c.expect(&["BITOP", "NAND", "d", "a", "b"], err(SYNTAX));
        c.expect(&["BITOP", "AND", "d"], err(&arity("bitop")));
    });
}

#[test]
fn bitfield_get_set() {
    each_server(|s| {
        let mut c = s.connect();
        // GET on a missing key does not create it.
        c.expect(&["BITFIELD", "bf", "GET", "u8", "0"], ints(&[0]));
        c.expect(&["EXISTS", "bf"], int(0));
        c.expect(&["BITFIELD", "bf"], arr(vec![]));
        c.expect(&["BITFIELD", "bf", "SET", "i8", "0", "-100"], ints(&[0]));
        c.expect(&["BITFIELD", "bf", "GET", "i8", "0"], ints(&[-100]));
        c.expect(&["BITFIELD", "bf", "GET", "u8", "0"], ints(&[156]));
        c.expect(
            &["BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0"],
            ints(&[156, 255]),
        );
        c.expect(&["GET", "bf"], bulk(b"\xff"));
        // Unaligned fields and #N offsets (multiplied by the type width).
        c.set("bf", b"\x00\x00\x00\x00");
        c.expect(&["BITFIELD", "bf", "SET", "u4", "4", "15"], ints(&[0]));
        c.expect(&["GET", "bf"], bulk(b"\x0f\x00\x00\x00"));
        c.expect(&["BITFIELD", "bf", "SET", "u8", "#1", "170"], ints(&[0]));
        c.expect(&["GET", "bf"], bulk(b"\x0f\xaa\x00\x00"));
        c.expect(&["BITFIELD", "bf", "GET", "u16", "#1"], ints(&[0]));
        c.expect(&["BITFIELD", "bf", "GET", "u16", "4"], ints(&[0xfaa0]));
        c.expect(
            &["BITFIELD", "bf", "GET", "i16", "4"],
            ints(&[0xfaa0 - 0x10000]),
        );
        c.expect(
            &[
                "BITFIELD", "bf", "GET", "u1", "4", "GET", "i1", "4", "GET", "u3", "9",
            ],
            ints(&[1, -1, 2]),
        );
        // Reads past the end are zero-padded; writes grow the string.
        c.expect(&["BITFIELD", "bf", "GET", "u8", "100"], ints(&[0]));
        c.expect(&["STRLEN", "bf"], int(4));
        c.expect(&["BITFIELD", "bf", "SET", "u8", "#5", "1"], ints(&[0]));
        c.expect(&["STRLEN", "bf"], int(6));
        // 64-bit signed and 63-bit unsigned extremes.
        c.expect(
            &["BITFIELD", "w", "SET", "i64", "0", "-9223372036854775808"],
            ints(&[0]),
        );
        c.expect(&["BITFIELD", "w", "GET", "i64", "0"], ints(&[i64::MIN]));
        c.expect(
            &["BITFIELD", "w", "SET", "u63", "0", "9223372036854775807"],
            ints(&[1 << 62]),
        );
        c.expect(&["BITFIELD", "w", "GET", "u63", "0"], ints(&[i64::MAX]));
        c.expect(&["BITFIELD", "w", "GET", "i64", "0"], ints(&[-2]));
        // SET values out of range wrap by default.
        c.expect(&["BITFIELD", "v", "SET", "u8", "0", "256"], ints(&[0]));
        c.expect(&["BITFIELD", "v", "GET", "u8", "0"], ints(&[0]));
        c.expect(&["BITFIELD", "v", "SET", "i8", "0", "200"], ints(&[0]));
        c.expect(&["BITFIELD", "v", "GET", "i8", "0"], ints(&[-56]));
        c.expect(&["BITFIELD", "v", "SET", "u8", "0", "-1"], ints(&[200]));
        c.expect(&["BITFIELD", "v", "GET", "u8", "0"], ints(&[255]));
        c.expect(
            &["bitfield", "v", "set", "u8", "0", "1", "get", "u8", "0"],
            ints(&[255, 1]),
        );
    });
}

#[test]
fn bitfield_incrby_overflow() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["BITFIELD", "k", "INCRBY", "u8", "0", "10"], ints(&[10]));
        c.expect(&["BITFIELD", "k", "INCRBY", "u8", "0", "-20"], ints(&[246]));
        c.expect(&["BITFIELD", "k", "INCRBY", "u8", "0", "10"], ints(&[0]));
        // WRAP (default)
        c.expect(
            &[
                "BITFIELD", "k", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "1",
            ],
            ints(&[0, 0]),
        );
        c.expect(
            &[
                "BITFIELD", "k", "SET", "i8", "0", "127", "INCRBY", "i8", "0", "1",
            ],
            ints(&[0, -128]),
        );
        c.expect(
            &[
                "BITFIELD", "k", "OVERFLOW", "WRAP", "INCRBY", "i8", "0", "-1",
            ],
            ints(&[127]),
        );
        // SAT
        c.expect(
            &[
                "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "100",
            ],
            ints(&[127]),
        );
        c.expect(
            &[
                "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-300",
            ],
            ints(&[-128]),
        );
        c.expect(
            &[
                "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "1000",
            ],
            ints(&[255]),
        );
        c.expect(
            &[
                "BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "-1000",
            ],
            ints(&[0]),
        );
        c.expect(
            &["BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "300"],
            ints(&[0]),
        );
        c.expect(&["BITFIELD", "k", "GET", "u8", "0"], ints(&[255]));
        c.expect(
            &["BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", "0", "-300"],
            ints(&[-1]),
        );
        c.expect(&["BITFIELD", "k", "GET", "i8", "0"], ints(&[-128]));
        // FAIL: nil and no change.
        c.expect(&["BITFIELD", "k", "SET", "u8", "0", "250"], ints(&[128]));
        c.expect(
            &[
                "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "10",
            ],
            arr(vec![nil()]),
        );
        c.expect(&["BITFIELD", "k", "GET", "u8", "0"], ints(&[250]));
        c.expect(
            &[
                "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "5",
            ],
            ints(&[255]),
        );
        c.expect(
            &["BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "0", "256"],
            arr(vec![nil()]),
        );
        c.expect(
            &["BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "i8", "0", "127"],
            ints(&[-1]),
        );
        // OVERFLOW applies to the following operations only, and can change.
        c.expect(
            &[
                "BITFIELD", "o", "SET", "u2", "0", "3", "INCRBY", "u2", "0", "1", "OVERFLOW",
                "SAT", "INCRBY", "u2", "0", "5", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "1",
                "overflow", "wrap", "INCRBY", "u2", "0", "2",
            ],
            arr(vec![int(0), int(0), int(3), nil(), int(1)]),
        );
        // i64 / u63 overflow
        c.expect(
            &["BITFIELD", "w", "SET", "i64", "0", "9223372036854775807"],
            ints(&[0]),
        );
        c.expect(
            &["BITFIELD", "w", "INCRBY", "i64", "0", "1"],
            ints(&[i64::MIN]),
        );
        c.expect(
            &[
                "BITFIELD", "w", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1",
            ],
            ints(&[i64::MIN]),
        );
        c.expect(
            &[
                "BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-1",
            ],
            arr(vec![nil()]),
        );
        c.expect(
            &["BITFIELD", "w", "SET", "u63", "0", "9223372036854775807"],
            ints(&[1 << 62]),
        );
        c.expect(&["BITFIELD", "w", "INCRBY", "u63", "0", "1"], ints(&[0]));
    });
}

#[test]
fn bitfield_errors() {
    each_server(|s| {
        let mut c = s.connect();
        for t in ["u64", "i65", "u0", "i0", "x8", "8", "u", "", "u-1", "U8x"] {
            c.expect(&["BITFIELD", "k", "GET", t, "0"], err(BAD_TYPE));
        }
        for off in ["-1", "x", "#-1", "#x", "4294967296", "#536870912"] {
            c.expect(&["BITFIELD", "k", "GET", "u8", off], err(BAD_OFFSET));
        }
        c.expect(&["BITFIELD", "k", "SET", "u8", "0", "x"], err(NOT_INT));
        c.expect(&["BITFIELD", "k", "INCRBY", "u8", "0", "1.5"], err(NOT_INT));
        c.expect(
            &["BITFIELD", "k", "OVERFLOW", "FOO"],
            err("ERR Invalid OVERFLOW type specified"),
        );
        c.expect(&["BITFIELD", "k", "FOO"], err(SYNTAX));
        c.expect(&["BITFIELD", "k", "GET", "u8"], err(SYNTAX));
        c.expect(&["BITFIELD", "k", "SET", "u8", "0"], err(SYNTAX));
        c.expect(&["BITFIELD", "k", "INCRBY", "u8", "0"], err(SYNTAX));
        c.expect(&["BITFIELD", "k", "OVERFLOW"], err(SYNTAX));
        // A bad op anywhere means nothing runs.
        c.expect(
            &["BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u99", "0"],
            err(BAD_TYPE),
        );
        c.expect(&["EXISTS", "k"], int(0));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["BITFIELD", "list", "GET", "u8", "0"], err(WRONGTYPE));
        c.expect(&["BITFIELD", "list", "SET", "u8", "0", "1"], err(WRONGTYPE));
        c.expect(&["BITFIELD"], err(&arity("bitfield")));
    });
}

#[test]
fn bitfield_ro() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["BITFIELD_RO", "k", "GET", "u8", "0"], ints(&[0]));
        c.set("k", b"\x12\x34");
        c.expect(
            &["BITFIELD_RO", "k", "GET", "u8", "0", "GET", "u4", "#3"],
            ints(&[0x12, 4]),
        );
        c.expect(&["BITFIELD_RO", "k"], arr(vec![]));
        let only_get = "ERR BITFIELD_RO only supports the GET subcommand";
        c.expect(&["BITFIELD_RO", "k", "SET", "u8", "0", "1"], err(only_get));
        c.expect(
            &["BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"],
            err(only_get),
        );
        // OVERFLOW is accepted (and meaningless) in BITFIELD_RO.
        c.expect(
            &["BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0"],
            ints(&[0x12]),
        );
        c.expect(&["BITFIELD_RO", "k", "GET", "u64", "0"], err(BAD_TYPE));
        c.expect(&["BITFIELD_RO", "k", "GET", "u8"], err(SYNTAX));
        c.expect(&["GET", "k"], bulk(b"\x12\x34"));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["BITFIELD_RO", "list", "GET", "u8", "0"], err(WRONGTYPE));
        c.expect(&["BITFIELD_RO"], err(&arity("bitfield_ro")));
    });
}
