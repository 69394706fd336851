//! Geo commands: GEOADD GEODIST GEOHASH GEOPOS GEORADIUS GEORADIUS_RO
//! GEORADIUSBYMEMBER GEORADIUSBYMEMBER_RO GEOSEARCH GEOSEARCHSTORE: options, exact
//! errors, stored results and their encodings, RESP3 shapes, keyspace events,
//! COMMAND introspection, edge positions (poles, antimeridian, odd scores) and
//! seeded random differential runs.
//!
//! Search results come back in Redis's own order (scan order of the 9 cells when
//! unsorted), which oxidis reproduces, so replies are compared exactly.

use crate::support::*;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const NOT_FLOAT: &str = "ERR value is not a valid float";
const SYNTAX: &str = "ERR syntax error";
const BAD_UNIT: &str = "ERR unsupported unit provided. please use M, KM, FT, MI";
const NO_MEMBER: &str = "ERR could not decode requested zset member";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

fn cmds(lines: &[&str]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

/// Runs the same commands on every server and asserts each server gave the same
/// replies (the first server's replies are the reference).
fn same_replies(cmds: &[Vec<String>]) {
    let mut runs: Vec<(String, Vec<Reply>)> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        let replies = cmds.iter().map(|cmd| c.cmd(cmd)).collect();
        runs.push((s.kind().name().to_string(), replies));
    });
    if let [(a, ra), (b, rb)] = &runs[..] {
        let mut errors = 0;
        for ((cmd, x), y) in cmds.iter().zip(ra).zip(rb) {
            // Make sure the scripts exercise more than error paths.
            errors += usize::from(x.is_error());
            assert_eq!(x, y, "{cmd:?}: {a} vs {b}");
        }
        assert!(errors * 2 < cmds.len(), "mostly errors: {errors}");
    }
}

/// Palermo and Catania (the documentation's example) plus two points near the edge
/// of a 200 km radius around (15, 37).
fn sicily(c: &mut Conn) {
    c.expect(
        &[
            "GEOADD",
            "Sicily",
            "13.361389",
            "38.115556",
            "Palermo",
            "15.087269",
            "37.502669",
            "Catania",
        ],
        int(2),
    );
    c.expect(
        &[
            "GEOADD",
            "Sicily",
            "12.758489",
            "38.788135",
            "edge1",
            "17.241510",
            "38.788135",
            "edge2",
        ],
        int(2),
    );
}

fn pos(lon: &str, lat: &str) -> Reply {
    bulks(&[lon, lat])
}

#[test]
fn geoadd_options_and_errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["GEOADD", "g", "1", "2", "a", "3", "4", "b"], int(2));
        c.expect(&["ZSCORE", "g", "a"], bulk("3378080408407459"));
        c.expect(&["GEOADD", "g", "1", "2", "a"], int(0));
        c.expect(&["GEOADD", "g", "CH", "1", "2", "a", "5", "6", "b"], int(1));
        c.expect(&["GEOADD", "g", "NX", "9", "9", "a", "7", "7", "c"], int(1));
        c.expect(
            &["GEOADD", "g", "XX", "CH", "8", "8", "a", "7", "7", "d"],
            int(1),
        );
        c.expect(&["ZCARD", "g"], int(3));
        c.expect(&["GEOADD", "g", "ch", "xx", "ch", "8", "8", "a"], int(0));
        c.expect(&["GEOADD", "none", "XX", "1", "1", "a"], int(0));
        c.expect(&["EXISTS", "none"], int(0));
        // Option words are only options before the first triple.
        c.expect(&["GEOADD", "g", "1", "2", "nx"], int(1));
        // Errors: count of arguments, NX with XX, bad numbers, out-of-range pairs.
        c.expect_err(&["GEOADD", "g", "1", "2"], &arity("geoadd"));
        c.expect_err(&["GEOADD", "g", "1", "2", "a", "3"], SYNTAX);
        c.expect_err(&["GEOADD", "g", "NX", "1", "2"], SYNTAX);
        c.expect_err(&["GEOADD", "g", "NX", "XX", "1", "2", "a"], SYNTAX);
        c.expect_err(&["GEOADD", "g", "CH", "CH", "CH"], SYNTAX);
        c.expect_err(&["GEOADD", "g", "GT", "1", "2", "a"], SYNTAX);
        c.expect_err(&["GEOADD", "g", "x", "2", "a"], NOT_FLOAT);
        c.expect_err(&["GEOADD", "g", "1", "nan", "a"], NOT_FLOAT);
        c.expect_err(
            &["GEOADD", "g", "1", "100", "a"],
            "ERR invalid longitude,latitude pair 1.000000,100.000000",
        );
        c.expect_err(
            &["GEOADD", "g", "-180.0000001", "0", "a"],
            "ERR invalid longitude,latitude pair -180.000000,0.000000",
        );
        c.expect_err(
            &["GEOADD", "g", "0", "85.05112879", "a"],
            "ERR invalid longitude,latitude pair 0.000000,85.051129",
        );
        c.expect_err(
            &["GEOADD", "g", "inf", "1", "a"],
            "ERR invalid longitude,latitude pair inf,1.000000",
        );
        // A bad pair anywhere adds nothing.
        c.expect_err(
            &["GEOADD", "g", "1", "1", "new", "1", "-90", "a"],
            "ERR invalid longitude,latitude pair 1.000000,-90.000000",
        );
        c.expect(&["ZSCORE", "g", "new"], nil());
        // The limits themselves are accepted.
        c.expect(
            &[
                "GEOADD",
                "g",
                "180",
                "85.05112878",
                "ne",
                "-180",
                "-85.05112878",
                "sw",
            ],
            int(2),
        );
        c.ok(&["SET", "str", "x"]);
        c.expect_err(&["GEOADD", "str", "1", "2", "a"], WRONGTYPE);
        // Coordinates are checked before the key's type, as in Redis.
        c.expect_err(
            &["GEOADD", "str", "1", "200", "a"],
            "ERR invalid longitude,latitude pair 1.000000,200.000000",
        );
        c.expect(&["TYPE", "g"], status("zset"));
    });
}

#[test]
fn geopos_geohash_geodist() {
    each_server(|s| {
        let mut c = s.connect();
        sicily(&mut c);
        c.expect(
            &["GEOPOS", "Sicily", "Palermo", "nope", "Catania"],
            arr(vec![
                pos("13.36138933897018433", "38.11555639549629859"),
                nil_arr(),
                pos("15.08726745843887329", "37.50266842333162032"),
            ]),
        );
        c.expect(
            &["GEOPOS", "none", "a", "b"],
            arr(vec![nil_arr(), nil_arr()]),
        );
        c.expect(&["GEOPOS", "Sicily"], arr(vec![]));
        c.expect(
            &["GEOHASH", "Sicily", "Palermo", "nope", "Catania"],
            arr(vec![bulk("sqc8b49rny0"), nil(), bulk("sqdtr74hyu0")]),
        );
        c.expect(&["GEOHASH", "none", "a"], arr(vec![nil()]));
        c.expect(
            &["GEODIST", "Sicily", "Palermo", "Catania"],
            bulk("166274.1516"),
        );
        c.expect(
            &["GEODIST", "Sicily", "Palermo", "Catania", "m"],
            bulk("166274.1516"),
        );
        c.expect(
            &["GEODIST", "Sicily", "Palermo", "Catania", "KM"],
            bulk("166.2742"),
        );
        c.expect(
            &["GEODIST", "Sicily", "Palermo", "Catania", "ft"],
            bulk("545518.8700"),
        );
        c.expect(
            &["GEODIST", "Sicily", "Palermo", "Catania", "Mi"],
            bulk("103.3182"),
        );
        c.expect(&["GEODIST", "Sicily", "Palermo", "Palermo"], bulk("0.0000"));
        c.expect(&["GEODIST", "Sicily", "Palermo", "nope"], nil());
        c.expect(&["GEODIST", "none", "a", "b"], nil());
        c.expect_err(&["GEODIST", "Sicily", "Palermo", "Catania", "yd"], BAD_UNIT);
        c.expect_err(
            &["GEODIST", "Sicily", "Palermo", "Catania", "km", "x"],
            SYNTAX,
        );
        // The unit is checked before the key.
        c.expect_err(&["GEODIST", "none", "a", "b", "x"], BAD_UNIT);
        c.expect_err(&["GEODIST", "Sicily", "a"], &arity("geodist"));
        c.expect_err(&["GEOPOS"], &arity("geopos"));
        c.expect_err(&["GEOHASH"], &arity("geohash"));
        c.ok(&["SET", "str", "x"]);
        c.expect_err(&["GEOPOS", "str", "a"], WRONGTYPE);
        c.expect_err(&["GEOHASH", "str", "a"], WRONGTYPE);
        c.expect_err(&["GEODIST", "str", "a", "b"], WRONGTYPE);
        // Positions at the limits are clamped cell centres.
        c.expect(
            &[
                "GEOADD",
                "e",
                "180",
                "85.05112878",
                "ne",
                "-180",
                "-85.05112878",
                "sw",
            ],
            int(2),
        );
        c.expect(
            &["GEOPOS", "e", "ne", "sw"],
            arr(vec![
                pos("180", "85.0511287799999991"),
                pos("-179.99999731779098511", "-85.05112751263942528"),
            ]),
        );
        c.expect(
            &["GEOHASH", "e", "ne", "sw"],
            arr(vec![bulk("bp05b5048p0"), bulk("00bh0hbj200")]),
        );
        c.expect(&["GEODIST", "e", "ne", "sw", "km"], bulk("18919.8446"));
        // Any score decodes somewhere, as in Redis (even ones GEOADD never makes).
        c.expect(&["ZADD", "odd", "-1", "a", "1.5", "b", "1e30", "c"], int(3));
        c.expect(
            &["GEOPOS", "odd", "a", "b", "c"],
            arr(vec![
                pos("180", "85.0511287799999991"),
                pos("-179.99999731779098511", "-85.05112497791824921"),
                pos("-179.99999731779098511", "-85.05112751263942528"),
            ]),
        );
    });
}

#[test]
fn radius_searches() {
    each_server(|s| {
        let mut c = s.connect();
        sicily(&mut c);
        // Unsorted: Redis's scan order.
        c.expect(
            &["GEORADIUS", "Sicily", "15", "37", "200", "km"],
            bulks(&["Palermo", "Catania"]),
        );
        c.expect(
            &["GEORADIUS", "Sicily", "15", "37", "200", "mi"],
            bulks(&["Palermo", "edge1", "Catania", "edge2"]),
        );
        c.expect(
            &[
                "GEORADIUS",
                "Sicily",
                "15",
                "37",
                "200",
                "km",
                "WITHDIST",
                "ASC",
            ],
            arr(vec![
                bulks(&["Catania", "56.4413"]),
                bulks(&["Palermo", "190.4424"]),
            ]),
        );
        // The order of the WITH* options does not matter: member, dist, hash, coords.
        c.expect(
            &[
                "GEORADIUS",
                "Sicily",
                "15",
                "37",
                "200",
                "km",
                "WITHCOORD",
                "WITHHASH",
                "WITHDIST",
                "COUNT",
                "1",
            ],
            arr(vec![arr(vec![
                bulk("Catania"),
                bulk("56.4413"),
                int(3479447370796909),
                pos("15.08726745843887329", "37.50266842333162032"),
            ])]),
        );
        c.expect(
            &["GEORADIUS", "Sicily", "15", "37", "200", "km", "DESC"],
            bulks(&["Palermo", "Catania"]),
        );
        // COUNT ANY returns the first ones found, unsorted unless asked.
        c.expect(
            &[
                "GEORADIUS",
                "Sicily",
                "15",
                "37",
                "200",
                "mi",
                "COUNT",
                "1",
                "ANY",
            ],
            bulks(&["Palermo"]),
        );
        c.expect(
            &[
                "GEORADIUS",
                "Sicily",
                "15",
                "37",
                "200",
                "mi",
                "COUNT",
                "3",
                "ANY",
                "DESC",
            ],
            bulks(&["edge1", "Palermo", "Catania"]),
        );
        c.expect(
            &["GEORADIUS", "Sicily", "15", "37", "200", "mi", "COUNT", "9"],
            bulks(&["Catania", "Palermo", "edge2", "edge1"]),
        );
        c.expect(
            &["GEORADIUS_RO", "Sicily", "15", "37", "100", "km"],
            bulks(&["Catania"]),
        );
        c.expect(&["GEORADIUS", "Sicily", "15", "37", "1", "m"], arr(vec![]));
        c.expect(
            &[
                "GEORADIUSBYMEMBER",
                "Sicily",
                "Palermo",
                "200",
                "km",
                "WITHDIST",
            ],
            arr(vec![
                bulks(&["Palermo", "0.0000"]),
                bulks(&["edge1", "91.4007"]),
                bulks(&["Catania", "166.2742"]),
            ]),
        );
        c.expect(
            &["GEORADIUSBYMEMBER_RO", "Sicily", "Catania", "100", "km"],
            bulks(&["Catania"]),
        );
        c.expect(&["GEORADIUS", "none", "15", "37", "200", "km"], arr(vec![]));
        c.expect(
            &["GEORADIUSBYMEMBER", "none", "x", "200", "km"],
            arr(vec![]),
        );
        // Radius zero finds the points in the centre's own cell only.
        c.expect(
            &[
                "GEORADIUSBYMEMBER",
                "Sicily",
                "Catania",
                "0",
                "m",
                "WITHDIST",
            ],
            arr(vec![bulks(&["Catania", "0.0000"])]),
        );
    });
}

#[test]
fn geosearch_shapes() {
    each_server(|s| {
        let mut c = s.connect();
        sicily(&mut c);
        c.expect(
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYBOX",
                "400",
                "400",
                "km",
                "ASC",
                "WITHDIST",
            ],
            arr(vec![
                bulks(&["Catania", "56.4413"]),
                bulks(&["Palermo", "190.4424"]),
                bulks(&["edge2", "279.7403"]),
                bulks(&["edge1", "279.7405"]),
            ]),
        );
        // A narrower box leaves the corners out, whatever their distance.
        c.expect(
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYBOX",
                "400",
                "150",
                "km",
                "ASC",
            ],
            bulks(&["Catania"]),
        );
        c.expect(
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMMEMBER",
                "Palermo",
                "BYRADIUS",
                "200",
                "km",
                "DESC",
            ],
            bulks(&["Catania", "edge1", "Palermo"]),
        );
        c.expect(
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYRADIUS",
                "200",
                "KM",
                "COUNT",
                "2",
                "ANY",
                "DESC",
                "WITHDIST",
            ],
            arr(vec![
                bulks(&["Palermo", "190.4424"]),
                bulks(&["Catania", "56.4413"]),
            ]),
        );
        c.expect(
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYRADIUS",
                "10000",
                "ft",
            ],
            arr(vec![]),
        );
        c.expect(
            &[
                "GEOSEARCH",
                "none",
                "FROMMEMBER",
                "x",
                "BYBOX",
                "1",
                "1",
                "m",
            ],
            arr(vec![]),
        );
    });
}

#[test]
fn search_option_errors() {
    each_server(|s| {
        let mut c = s.connect();
        sicily(&mut c);
        c.ok(&["SET", "str", "x"]);
        let g = |rest: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = ["GEORADIUS", "Sicily", "15", "37", "200", "km"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            v.extend(rest.iter().map(|s| s.to_string()));
            v
        };
        c.expect_err(&g(&["COUNT", "0"]), "ERR COUNT must be > 0");
        c.expect_err(&g(&["COUNT", "-1"]), "ERR COUNT must be > 0");
        c.expect_err(&g(&["COUNT", "x"]), NOT_INT);
        c.expect_err(&g(&["COUNT"]), SYNTAX);
        c.expect_err(&g(&["COUNT", "1", "COUNT", "0"]), "ERR COUNT must be > 0");
        c.expect_err(&g(&["ANY"]), "ERR the ANY argument requires COUNT argument");
        c.expect_err(&g(&["STORE"]), SYNTAX);
        c.expect_err(&g(&["FOO"]), SYNTAX);
        c.expect_err(&g(&["FROMLONLAT", "1", "1"]), SYNTAX);
        c.expect_err(
            &g(&["WITHDIST", "STORE", "x"]),
            "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
        );
        c.expect_err(
            &g(&["STOREDIST", "x", "WITHHASH"]),
            "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
        );
        c.expect_err(
            &[
                "GEORADIUS_RO",
                "Sicily",
                "15",
                "37",
                "200",
                "km",
                "STORE",
                "x",
            ],
            SYNTAX,
        );
        c.expect_err(
            &[
                "GEORADIUSBYMEMBER_RO",
                "Sicily",
                "Palermo",
                "200",
                "km",
                "STOREDIST",
                "x",
            ],
            SYNTAX,
        );
        c.expect_err(
            &["GEORADIUS", "Sicily", "15", "370", "200", "km"],
            "ERR invalid longitude,latitude pair 15.000000,370.000000",
        );
        c.expect_err(&["GEORADIUS", "Sicily", "x", "37", "200", "km"], NOT_FLOAT);
        c.expect_err(
            &["GEORADIUS", "Sicily", "15", "37", "x", "km"],
            "ERR need numeric radius",
        );
        c.expect_err(
            &["GEORADIUS", "Sicily", "15", "37", "-1", "km"],
            "ERR radius cannot be negative",
        );
        c.expect_err(&["GEORADIUS", "Sicily", "15", "37", "1", "kmh"], BAD_UNIT);
        c.expect_err(
            &["GEORADIUS", "Sicily", "15", "37", "1"],
            &arity("georadius"),
        );
        c.expect_err(&["GEORADIUS", "str", "15", "370", "1", "km"], WRONGTYPE);
        c.expect_err(
            &["GEORADIUSBYMEMBER", "Sicily", "nope", "1", "km"],
            NO_MEMBER,
        );
        c.expect_err(
            &["GEORADIUSBYMEMBER", "Sicily", "Palermo", "x", "km"],
            "ERR need numeric radius",
        );
        c.expect_err(&["GEORADIUSBYMEMBER", "str", "a", "1", "km"], WRONGTYPE);
        c.expect_err(
            &["GEORADIUSBYMEMBER", "Sicily", "a", "1"],
            &arity("georadiusbymember"),
        );
        // GEOSEARCH: FROM* and BY* exactly once each, in any order.
        let gs = |rest: &str| -> Vec<String> {
            let mut v = vec!["GEOSEARCH".to_string(), "Sicily".to_string()];
            v.extend(rest.split_whitespace().map(String::from));
            v
        };
        c.expect_err(
            &gs("FROMMEMBER Palermo WITHDIST WITHHASH ASC"),
            "ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH",
        );
        c.expect_err(
            &gs("BYRADIUS 1 km WITHDIST ASC"),
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH",
        );
        c.expect_err(
            &[
                "geosearch",
                "Sicily",
                "byradius",
                "1",
                "km",
                "asc",
                "withdist",
            ],
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch",
        );
        c.expect_err(
            &gs("FROMMEMBER Palermo FROMLONLAT 1 1 BYRADIUS 1 km"),
            SYNTAX,
        );
        c.expect_err(
            &gs("FROMLONLAT 1 1 FROMMEMBER Palermo BYRADIUS 1 km"),
            SYNTAX,
        );
        c.expect_err(&gs("FROMLONLAT 1 1 BYRADIUS 1 km BYBOX 1 1 km"), SYNTAX);
        c.expect_err(&gs("FROMLONLAT 1 1 BYBOX 1 1 km BYRADIUS 1 km"), SYNTAX);
        c.expect_err(&gs("FROMLONLAT 1 1 BYRADIUS 1 km STORE x"), SYNTAX);
        c.expect_err(&gs("FROMLONLAT 1 1 BYRADIUS 1 km STOREDIST"), SYNTAX);
        c.expect_err(&gs("FROMLONLAT 1 1 BYRADIUS 1"), SYNTAX);
        c.expect_err(&gs("FROMLONLAT 1 1 BYBOX 1 1"), SYNTAX);
        c.expect_err(&gs("FROMLONLAT 1 BYBOX 1 1 km"), NOT_FLOAT);
        c.expect_err(&gs("FROMMEMBER nope BYRADIUS 1 km"), NO_MEMBER);
        // The first error met in argument order wins.
        c.expect_err(&gs("FROMMEMBER nope BYRADIUS -1 km"), NO_MEMBER);
        c.expect_err(
            &gs("BYRADIUS -1 km FROMMEMBER nope"),
            "ERR radius cannot be negative",
        );
        c.expect_err(
            &gs("FROMLONLAT 1 1 BYBOX -1 1 km"),
            "ERR height or width cannot be negative",
        );
        c.expect_err(&gs("FROMLONLAT 1 1 BYBOX x 1 km"), "ERR need numeric width");
        c.expect_err(
            &gs("FROMLONLAT 1 1 BYBOX 1 y km"),
            "ERR need numeric height",
        );
        c.expect_err(&gs("FROMLONLAT 1 1 BYBOX 1 1 yd"), BAD_UNIT);
        c.expect_err(
            &gs("FROMLONLAT 1 1 BYRADIUS 1 km ANY"),
            "ERR the ANY argument requires COUNT argument",
        );
        c.expect_err(&gs("FROMLONLAT 1 1"), &arity("geosearch"));
        c.expect_err(
            &[
                "GEOSEARCH",
                "str",
                "FROMLONLAT",
                "1",
                "1",
                "BYRADIUS",
                "1",
                "km",
            ],
            WRONGTYPE,
        );
        // A missing key still checks the arguments, but not the member.
        c.expect(
            &[
                "GEOSEARCH",
                "none",
                "FROMMEMBER",
                "nope",
                "BYRADIUS",
                "1",
                "km",
            ],
            arr(vec![]),
        );
        c.expect_err(
            &[
                "GEOSEARCH",
                "none",
                "FROMMEMBER",
                "nope",
                "BYRADIUS",
                "-1",
                "km",
            ],
            "ERR radius cannot be negative",
        );
        c.expect_err(
            &[
                "GEOSEARCH",
                "none",
                "FROMMEMBER",
                "nope",
                "WITHDIST",
                "WITHHASH",
                "ASC",
            ],
            "ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH",
        );
        // GEOSEARCHSTORE
        c.expect_err(
            &[
                "GEOSEARCHSTORE",
                "d",
                "Sicily",
                "FROMLONLAT",
                "1",
                "1",
                "BYRADIUS",
                "1",
                "km",
                "WITHDIST",
            ],
            "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
        );
        c.expect_err(
            &[
                "GEOSEARCHSTORE",
                "d",
                "Sicily",
                "FROMLONLAT",
                "1",
                "1",
                "BYRADIUS",
                "1",
                "km",
                "STORE",
                "x",
            ],
            SYNTAX,
        );
        c.expect_err(
            &[
                "GEOSEARCHSTORE",
                "d",
                "str",
                "FROMLONLAT",
                "1",
                "1",
                "BYRADIUS",
                "1",
                "km",
            ],
            WRONGTYPE,
        );
        c.expect_err(
            &[
                "GEOSEARCHSTORE",
                "d",
                "Sicily",
                "FROMLONLAT",
                "1",
                "1",
                "BYRADIUS",
                "1",
            ],
            SYNTAX,
        );
        c.expect_err(
            &[
                "GEOSEARCHSTORE",
                "d",
                "Sicily",
                "FROMLONLAT",
                "1",
                "1",
                "BYRADIUS",
            ],
            &arity("geosearchstore"),
        );
    });
}

#[test]
fn read_only_variants_and_watch() {
    each_server(|s| {
        let mut c = s.connect();
        sicily(&mut c);
        c.ok(&["SET", "str", "x"]);
        c.expect_err(
            &["GEORADIUS_RO", "Sicily", "15", "37", "200"],
            &arity("georadius_ro"),
        );
        c.expect_err(
            &["GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200"],
            &arity("georadiusbymember_ro"),
        );
        c.expect_err(&["GEORADIUS_RO", "str", "15", "37", "200", "km"], WRONGTYPE);
        c.expect_err(
            &["GEORADIUSBYMEMBER_RO", "str", "Palermo", "200", "km"],
            WRONGTYPE,
        );
        c.expect(
            &[
                "GEORADIUSBYMEMBER_RO",
                "Sicily",
                "Palermo",
                "200",
                "km",
                "COUNT",
                "1",
                "DESC",
                "WITHHASH",
            ],
            arr(vec![arr(vec![bulk("Catania"), int(3479447370796909)])]),
        );
        // A store touches WATCHed destinations; a plain search does not.
        let mut other = s.connect();
        c.ok(&["WATCH", "d"]);
        other.expect(
            &["GEORADIUS", "Sicily", "15", "37", "1", "m", "STORE", "d"],
            int(0),
        );
        c.ok(&["MULTI"]);
        c.expect(&["PING"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![status("PONG")]));
        c.ok(&["WATCH", "d"]);
        other.expect(
            &["GEORADIUS", "Sicily", "15", "37", "100", "km", "STORE", "d"],
            int(1),
        );
        c.ok(&["MULTI"]);
        c.expect(&["PING"], status("QUEUED"));
        c.expect(&["EXEC"], nil_arr());
        c.ok(&["WATCH", "Sicily"]);
        other.expect(&["GEOADD", "Sicily", "1", "1", "x"], int(1));
        c.ok(&["MULTI"]);
        c.expect(&["PING"], status("QUEUED"));
        c.expect(&["EXEC"], nil_arr());
    });
}

#[test]
fn store_and_storedist() {
    each_server(|s| {
        let mut c = s.connect();
        sicily(&mut c);
        c.expect(
            &["GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d"],
            int(2),
        );
        c.expect(
            &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
            bulks(&["Palermo", "3479099956230698", "Catania", "3479447370796909"]),
        );
        c.expect(
            &[
                "GEORADIUS",
                "Sicily",
                "15",
                "37",
                "200",
                "km",
                "STOREDIST",
                "d",
            ],
            int(2),
        );
        c.expect(
            &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
            bulks(&[
                "Catania",
                "56.441257870158204",
                "Palermo",
                "190.44242984775784",
            ]),
        );
        // The last of STORE/STOREDIST wins; COUNT and ordering apply first.
        c.expect(
            &[
                "GEORADIUS",
                "Sicily",
                "15",
                "37",
                "200",
                "mi",
                "STOREDIST",
                "x",
                "STORE",
                "d",
                "DESC",
                "COUNT",
                "2",
            ],
            int(2),
        );
        c.expect(&["EXISTS", "x"], int(0));
        c.expect(&["ZRANGE", "d", "0", "-1"], bulks(&["edge1", "edge2"]));
        c.expect(
            &[
                "GEORADIUSBYMEMBER",
                "Sicily",
                "Palermo",
                "100",
                "km",
                "STOREDIST",
                "d",
            ],
            int(2),
        );
        c.expect(
            &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
            bulks(&["Palermo", "0", "edge1", "91.400658605814272"]),
        );
        c.expect(
            &[
                "GEOSEARCHSTORE",
                "d2",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYBOX",
                "400",
                "400",
                "km",
                "STOREDIST",
                "COUNT",
                "3",
            ],
            int(3),
        );
        c.expect(
            &["ZRANGE", "d2", "0", "-1"],
            bulks(&["Catania", "Palermo", "edge2"]),
        );
        c.expect(
            &[
                "GEOSEARCHSTORE",
                "d2",
                "Sicily",
                "FROMMEMBER",
                "Catania",
                "BYRADIUS",
                "1",
                "m",
            ],
            int(1),
        );
        c.expect(
            &["ZRANGE", "d2", "0", "-1", "WITHSCORES"],
            bulks(&["Catania", "3479447370796909"]),
        );
        // The destination is replaced whatever its type and TTL.
        c.ok(&["SET", "str", "x", "EX", "100"]);
        c.expect(
            &[
                "GEOSEARCHSTORE",
                "str",
                "Sicily",
                "FROMMEMBER",
                "Catania",
                "BYRADIUS",
                "1",
                "m",
            ],
            int(1),
        );
        c.expect(&["TYPE", "str"], status("zset"));
        c.expect(&["TTL", "str"], int(-1));
        // An empty result deletes the destination; a missing source too.
        c.expect(
            &["GEORADIUS", "Sicily", "0", "0", "1", "km", "STORE", "d"],
            int(0),
        );
        c.expect(&["EXISTS", "d"], int(0));
        c.expect(
            &["GEORADIUS", "none", "0", "0", "1", "km", "STORE", "d2"],
            int(0),
        );
        c.expect(&["EXISTS", "d2"], int(0));
        c.expect(
            &["GEORADIUSBYMEMBER", "none", "m", "x", "km", "STORE", "str"],
            int(0),
        );
        c.expect(&["EXISTS", "str"], int(0));
        c.expect(
            &[
                "GEOSEARCHSTORE",
                "d",
                "none",
                "FROMMEMBER",
                "m",
                "BYRADIUS",
                "1",
                "km",
            ],
            int(0),
        );
        // The source may be the destination.
        c.expect(
            &[
                "GEOSEARCHSTORE",
                "Sicily",
                "Sicily",
                "FROMMEMBER",
                "Catania",
                "BYRADIUS",
                "100",
                "km",
                "STOREDIST",
            ],
            int(1),
        );
        c.expect(
            &["ZRANGE", "Sicily", "0", "-1", "WITHSCORES"],
            bulks(&["Catania", "0"]),
        );
    });
}

#[test]
fn encodings_at_thresholds() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "zset-max-listpack-entries", "4"]);
        c.ok(&["CONFIG", "SET", "zset-max-listpack-value", "8"]);
        // GEOADD creates and converts sorted sets as ZADD does.
        let mut args: Vec<String> = vec!["GEOADD".into(), "g".into()];
        for i in 0..4 {
            args.extend([format!("{}", 10 + i), "40".into(), format!("m{i}")]);
        }
        c.expect(&args, int(4));
        c.expect(&["OBJECT", "ENCODING", "g"], bulk("listpack"));
        c.expect(&["GEOADD", "g", "9", "40", "m4"], int(1));
        c.expect(&["OBJECT", "ENCODING", "g"], bulk("skiplist"));
        c.expect(&["GEOADD", "v8", "1", "1", "12345678"], int(1));
        c.expect(&["OBJECT", "ENCODING", "v8"], bulk("listpack"));
        c.expect(&["GEOADD", "v9", "1", "1", "123456789"], int(1));
        c.expect(&["OBJECT", "ENCODING", "v9"], bulk("skiplist"));
        c.expect(&["GEOADD", "v8", "1", "1", "123456789"], int(1));
        c.expect(&["OBJECT", "ENCODING", "v8"], bulk("skiplist"));
        // Stored results pick the encoding for their size: 3, 4 and 5 members.
        for (n, enc) in [("3", "listpack"), ("4", "listpack"), ("5", "skiplist")] {
            c.expect(
                &[
                    "GEOSEARCHSTORE",
                    "d",
                    "g",
                    "FROMLONLAT",
                    "11",
                    "40",
                    "BYRADIUS",
                    "1000",
                    "km",
                    "COUNT",
                    n,
                ],
                int(n.parse().unwrap_or(0)),
            );
            c.expect(&["OBJECT", "ENCODING", "d"], bulk(enc));
        }
        c.expect(
            &["GEORADIUS", "v9", "1", "1", "10", "km", "STORE", "d"],
            int(1),
        );
        c.expect(&["OBJECT", "ENCODING", "d"], bulk("skiplist"));
        // Generic commands see a plain sorted set.
        c.expect(&["COPY", "g", "g2"], int(1));
        c.expect(&["GEODIST", "g2", "m0", "m1", "km"], bulk("85.2036"));
        let scan = c.cmd(&["SCAN", "0", "MATCH", "g*", "TYPE", "zset", "COUNT", "100"]);
        assert_unordered(&scan.array_val()[1], &bulks(&["g", "g2"]));
    });
}

#[test]
fn resp3_shapes() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["HELLO", "3"]);
        sicily(&mut c);
        c.expect(
            &["GEOPOS", "Sicily", "Palermo", "nope"],
            arr(vec![
                arr(vec![
                    dbl("13.36138933897018433"),
                    dbl("38.11555639549629859"),
                ]),
                null(),
            ]),
        );
        c.expect(&["GEOPOS", "none", "a"], arr(vec![null()]));
        // Distances stay strings in RESP3.
        c.expect(
            &["GEODIST", "Sicily", "Palermo", "Catania"],
            bulk("166274.1516"),
        );
        c.expect(&["GEODIST", "Sicily", "Palermo", "nope"], null());
        c.expect(&["GEODIST", "none", "a", "b"], null());
        c.expect(&["GEOHASH", "Sicily", "nope"], arr(vec![null()]));
        c.expect(
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYRADIUS",
                "100",
                "km",
                "WITHDIST",
                "WITHHASH",
                "WITHCOORD",
            ],
            arr(vec![arr(vec![
                bulk("Catania"),
                bulk("56.4413"),
                int(3479447370796909),
                arr(vec![
                    dbl("15.08726745843887329"),
                    dbl("37.50266842333162032"),
                ]),
            ])]),
        );
        c.expect(
            &["GEORADIUS", "Sicily", "15", "37", "1", "m", "WITHDIST"],
            arr(vec![]),
        );
        c.expect(
            &["GEORADIUS", "none", "15", "37", "1", "m", "STORE", "x"],
            int(0),
        );
    });
}

/// A writer connection and a subscriber to every keyspace/keyevent channel.
struct Watch {
    c: Conn,
    sub: Conn,
}

impl Watch {
    fn new(s: &Server) -> Watch {
        let (c, sub) = watch_keyspace(s, "KEA");
        Watch { c, sub }
    }

    /// Runs `cmd` and asserts its reply and the events it published, as
    /// "key event" from the keyspace channel (the keyevent one is checked to match).
    fn ev(&mut self, cmd: &[&str], reply: Reply, expected: &[&str]) {
        self.c.expect(cmd, reply);
        self.c.cmd(&["PUBLISH", "end", "x"]);
        let mut got = Vec::new();
        loop {
            let m = self.sub.read_reply().strings();
            if m[0] == "message" && m[1] == "end" {
                break;
            }
            if let Some(key) = m[2].strip_prefix("__keyspace@0__:") {
                got.push(format!("{key} {}", m[3]));
            } else {
                let event = m[2].strip_prefix("__keyevent@0__:").unwrap_or(&m[2]);
                let last = got.last().cloned().unwrap_or_default();
                assert_eq!(last, format!("{} {event}", m[3]), "{cmd:?}");
            }
        }
        assert_eq!(got, expected, "{cmd:?}");
    }
}

#[test]
fn keyspace_events() {
    each_server(|s| {
        let mut w = Watch::new(s);
        w.ev(&["GEOADD", "g", "1", "1", "a"], int(1), &["g zadd"]);
        w.ev(&["GEOADD", "g", "1", "1", "a"], int(0), &[]);
        w.ev(&["GEOADD", "g", "XX", "2", "2", "b"], int(0), &[]);
        w.ev(&["GEOADD", "g", "CH", "2", "2", "a"], int(1), &["g zadd"]);
        w.ev(&["GEOADD", "none", "XX", "2", "2", "b"], int(0), &[]);
        w.ev(
            &["GEORADIUS", "g", "1", "1", "1000", "km", "STORE", "d"],
            int(1),
            &["d georadiusstore"],
        );
        w.ev(
            &["GEORADIUSBYMEMBER", "g", "a", "1", "km", "STOREDIST", "d"],
            int(1),
            &["d georadiusstore"],
        );
        w.ev(
            &[
                "GEOSEARCHSTORE",
                "d2",
                "g",
                "FROMLONLAT",
                "1",
                "1",
                "BYRADIUS",
                "1000",
                "km",
            ],
            int(1),
            &["d2 geosearchstore"],
        );
        w.ev(
            &["GEORADIUS", "g", "50", "50", "1", "km", "STORE", "d"],
            int(0),
            &["d del"],
        );
        w.ev(
            &["GEORADIUS", "none", "50", "50", "1", "km", "STORE", "d2"],
            int(0),
            &["d2 del"],
        );
        w.ev(
            &["GEORADIUS", "g", "50", "50", "1", "km", "STORE", "d"],
            int(0),
            &[],
        );
        w.ev(
            &[
                "GEOSEARCHSTORE",
                "d2",
                "g",
                "FROMLONLAT",
                "50",
                "50",
                "BYRADIUS",
                "1",
                "km",
            ],
            int(0),
            &[],
        );
        w.ev(
            &[
                "GEOSEARCH",
                "g",
                "FROMLONLAT",
                "2",
                "2",
                "BYRADIUS",
                "1",
                "km",
            ],
            bulks(&["a"]),
            &[],
        );
    });
}

#[test]
fn command_introspection_matches_redis() {
    const NAMES: &[&str] = &[
        "geoadd",
        "geodist",
        "geohash",
        "geopos",
        "georadius",
        "georadius_ro",
        "georadiusbymember",
        "georadiusbymember_ro",
        "geosearch",
        "geosearchstore",
    ];
    let mut script: Vec<Vec<String>> = Vec::new();
    for name in NAMES {
        script.push(vec!["COMMAND".into(), "INFO".into(), name.to_string()]);
        script.push(vec!["COMMAND".into(), "DOCS".into(), name.to_string()]);
    }
    script.extend(cmds(&[
        "COMMAND GETKEYS GEOADD g 1 2 a",
        "COMMAND GETKEYS GEORADIUS g 1 2 3 km",
        "COMMAND GETKEYS GEORADIUS g 1 2 3 km STORE d",
        "COMMAND GETKEYS GEORADIUS g 1 2 3 km store d STOREDIST e",
        "COMMAND GETKEYSANDFLAGS GEORADIUS g 1 2 3 km STOREDIST e STORE d",
        "COMMAND GETKEYS GEORADIUS g 1 2 3 STORE d",
        "COMMAND GETKEYS GEORADIUS g 1 2 3 km WITHDIST STORE",
        "COMMAND GETKEYS GEORADIUSBYMEMBER g m 3 km STORE d",
        "COMMAND GETKEYSANDFLAGS GEORADIUSBYMEMBER g m 3 km STOREDIST d",
        "COMMAND GETKEYS GEORADIUS_RO g 1 2 3 km STORE d",
        "COMMAND GETKEYSANDFLAGS GEOSEARCHSTORE d s FROMMEMBER m BYRADIUS 1 km",
        "COMMAND GETKEYS GEOSEARCH g FROMMEMBER m BYRADIUS 1 km",
        "COMMAND GETKEYS GEODIST g a b",
        "COMMAND COUNT",
    ]));
    // COMMAND COUNT differs while other families are missing: compare the rest.
    let count = script.len() - 1;
    let mut runs: Vec<Vec<Reply>> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        runs.push(script[..count].iter().map(|cmd| c.cmd(cmd)).collect());
        // The keyword key specs look through the arguments after the fixed ones.
        c.expect(
            &[
                "COMMAND",
                "GETKEYS",
                "GEORADIUS",
                "g",
                "1",
                "2",
                "3",
                "km",
                "store",
                "d",
            ],
            bulks(&["g", "d"]),
        );
    });
    if let [a, b] = &runs[..] {
        for ((cmd, x), y) in script.iter().zip(a).zip(b) {
            assert_eq!(x, y, "{cmd:?}");
        }
    }
}

/// Points on the limits and the antimeridian, huge and zero radii, odd scores,
/// number formats: every reply as Redis gives it, in RESP2 and RESP3.
fn edge_script() -> Vec<Vec<String>> {
    cmds(&[
        "GEOADD e 180 85.05112878 ne -180 -85.05112878 sw 180 -85.05112878 se -180 85.05112878 nw 0 0 o 179.9999 0 am1 -179.9999 0 am2",
        "GEOPOS e ne sw se nw o am1 am2 zz",
        "GEOHASH e ne sw se nw o am1 am2 zz",
        "ZRANGE e 0 -1 WITHSCORES",
        "GEODIST e ne sw",
        "GEODIST e am1 am2 km",
        "GEODIST e nw ne ft",
        "GEORADIUS e 0 0 0 m WITHDIST WITHHASH WITHCOORD",
        "GEORADIUS e 180 0 20 km WITHDIST",
        "GEORADIUS e -180 0 20 km WITHDIST",
        "GEORADIUS e 0 85.05112878 10000 km WITHDIST",
        "GEORADIUS e 0 -85.05112878 20000 km WITHDIST ASC",
        "GEORADIUS e 0 0 inf m WITHDIST",
        "GEORADIUS e 0 0 1e300 m WITHDIST",
        "GEORADIUS e 0 0 30000 km WITHDIST ASC",
        "GEORADIUS e 0 0 30000 km WITHDIST DESC COUNT 3",
        "GEORADIUS e 0 0 30000 km COUNT 3 ANY",
        "GEORADIUS e 0 0 30000 km COUNT 3 ANY DESC",
        "GEORADIUS e 0 0 30000 km COUNT 30 ANY WITHCOORD",
        "GEORADIUS e 0 0 -0 km WITHDIST",
        "GEOSEARCH e FROMLONLAT 0 0 BYBOX 0 0 m WITHDIST",
        "GEOSEARCH e FROMLONLAT 180 0 BYBOX 50 50 km WITHDIST",
        "GEOSEARCH e FROMLONLAT 180 85 BYBOX 5000 5000 km WITHDIST",
        "GEOSEARCH e FROMLONLAT -180 -85 BYBOX 40000 100 km WITHDIST",
        "GEOSEARCH e FROMLONLAT 0 0 BYBOX inf inf km WITHDIST",
        "GEOSEARCH e FROMMEMBER am1 BYRADIUS 100 km WITHDIST WITHCOORD",
        "GEOSEARCH e FROMMEMBER am2 BYBOX 100 10 MI WITHDIST WITHCOORD WITHHASH",
        "GEOSEARCHSTORE dst e FROMMEMBER am1 BYRADIUS 100 km",
        "ZRANGE dst 0 -1 WITHSCORES",
        "GEOSEARCHSTORE dst e FROMMEMBER am1 BYRADIUS 100 km STOREDIST",
        "ZRANGE dst 0 -1 WITHSCORES",
        "OBJECT ENCODING dst",
        "GEORADIUS e 0 0 30000 km STORE dst2",
        "ZRANGE dst2 0 -1 WITHSCORES",
        "GEORADIUS e 0 0 30000 km STOREDIST dst2 STORE dst3",
        "ZRANGE dst3 0 -1 WITHSCORES",
        "GEORADIUSBYMEMBER e o 30000 km STOREDIST dst4 DESC COUNT 2",
        "ZRANGE dst4 0 -1 WITHSCORES",
        "ZADD w -1 a 1e30 b -inf c inf d 0 e 4503599627370496 f 9007199254740993 g -1e30 h 1.5 i 1e19 j 9.3e18 k 2e19 l",
        "GEOPOS w a b c d e f g h i j k l",
        "GEOHASH w a b c d e f g h i j k l",
        "GEODIST w a b",
        "GEORADIUS w 0 0 30000 km WITHHASH WITHDIST",
        "GEORADIUS w 180 85 3000 km WITHHASH WITHDIST",
        "GEOADD x 1e-300 -0 a -0 1e-320 b 0x1p-3 0.5 c",
        "GEOPOS x a b c",
        "GEOADD x 1.5e1 2E1 d +3 -4 f",
        "GEOPOS x d f",
        "GEOADD x 1e400 1 b",
    ])
}

#[test]
fn edge_cases_match_redis() {
    same_replies(&edge_script());
    let mut script = cmds(&["HELLO 3"]);
    script.extend(edge_script());
    // (HELLO's own reply names the server: not compared.)
    let mut runs: Vec<Vec<Reply>> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        runs.push(script.iter().map(|cmd| c.cmd(cmd)).collect());
    });
    if let [a, b] = &runs[..] {
        for ((cmd, x), y) in script.iter().zip(a).zip(b).skip(1) {
            assert_eq!(x, y, "{cmd:?}");
        }
    }
}

/// A number in [0, 1).
fn unit_f(g: &mut Gen) -> f64 {
    (g.next() >> 11) as f64 / (1u64 << 53) as f64
}

fn within(g: &mut Gen, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit_f(g)
}

const LAT_LIMIT: f64 = 85.05112878;

/// A random position: anywhere, near a pole, across the antimeridian, on the
/// limits, or in a dense cluster.
fn point(g: &mut Gen) -> (f64, f64) {
    let sign = |g: &mut Gen| if g.below(2) == 0 { -1.0 } else { 1.0 };
    match g.below(10) {
        0..=2 => (within(g, -180.0, 180.0), within(g, -LAT_LIMIT, LAT_LIMIT)),
        3 | 4 => {
            let s = sign(g);
            (within(g, -180.0, 180.0), s * within(g, 80.0, LAT_LIMIT))
        }
        5 | 6 => {
            let s = sign(g);
            (s * within(g, 179.0, 180.0), within(g, -60.0, 60.0))
        }
        7 => {
            let lons = [-180.0, 180.0, 0.0, 179.99999];
            let lats = [-LAT_LIMIT, LAT_LIMIT, 0.0, 85.0];
            let (i, j) = (g.below(4) as usize, g.below(4) as usize);
            (lons[i], lats[j])
        }
        _ => (within(g, 10.0, 12.0), within(g, 40.0, 42.0)),
    }
}

fn fmt_num(g: &mut Gen, x: f64) -> String {
    match g.below(3) {
        0 => format!("{x}"),
        1 => format!("{x:.6}"),
        _ => format!("{x:.3}"),
    }
}

/// A radius (or box side) and its unit, from metres to half the planet.
fn distance_arg(g: &mut Gen) -> (String, String) {
    let metres = match g.below(6) {
        0 => within(g, 0.0, 100.0),
        1 => within(g, 0.0, 50_000.0),
        2 => within(g, 0.0, 2_000_000.0),
        3 => within(g, 0.0, 20_000_000.0),
        4 => 0.0,
        _ => within(g, 0.0, 500_000.0),
    };
    let (unit, per) =
        [("m", 1.0), ("km", 1000.0), ("ft", 0.3048), ("mi", 1609.34)][g.below(4) as usize];
    (format!("{:.3}", metres / per), unit.to_string())
}

fn random_script(seed: u64, n: usize) -> Vec<Vec<String>> {
    let mut g = Gen(seed);
    let mut out: Vec<Vec<String>> = Vec::new();
    // A big index first: a few thousand points.
    for batch in 0..20 {
        let mut c = vec!["GEOADD".to_string(), "big".to_string()];
        for i in 0..100 {
            let (lon, lat) = point(&mut g);
            c.extend([
                fmt_num(&mut g, lon),
                fmt_num(&mut g, lat),
                format!("m{}", batch * 100 + i),
            ]);
        }
        out.push(c);
    }
    let keys = ["g1", "g2", "big"];
    for _ in 0..n {
        let key = g.pick(&keys).to_string();
        let pool = if key == "big" { 2500 } else { 60 };
        let member = |g: &mut Gen| format!("m{}", g.below(pool));
        let mut c: Vec<String> = Vec::new();
        match g.below(40) {
            0..=9 => {
                c.extend(["GEOADD".into(), key.clone()]);
                match g.below(6) {
                    0 => c.push("NX".into()),
                    1 => c.push("XX".into()),
                    2 => c.push("CH".into()),
                    _ => {}
                }
                for _ in 0..=g.below(5) {
                    let (lon, lat) = point(&mut g);
                    c.extend([fmt_num(&mut g, lon), fmt_num(&mut g, lat), member(&mut g)]);
                }
            }
            10..=12 => {
                let unit = g.pick(&["m", "km", "ft", "mi", "M", "KM"]).to_string();
                c.extend([
                    "GEODIST".into(),
                    key.clone(),
                    member(&mut g),
                    member(&mut g),
                    unit,
                ]);
            }
            13 | 14 => {
                c.extend(["GEOPOS".into(), key.clone(), member(&mut g), member(&mut g)]);
            }
            15 | 16 => {
                c.extend([
                    "GEOHASH".into(),
                    key.clone(),
                    member(&mut g),
                    member(&mut g),
                ]);
            }
            17 => c.extend(["ZREM".into(), key.clone(), member(&mut g)]),
            _ => {
                let (lon, lat) = point(&mut g);
                let (radius, unit) = distance_arg(&mut g);
                let store = g.below(6) == 0;
                let mut opts: Vec<String> = Vec::new();
                if !store {
                    for o in ["WITHDIST", "WITHCOORD", "WITHHASH"] {
                        if g.below(2) == 0 {
                            opts.push(o.into());
                        }
                    }
                }
                match g.below(3) {
                    0 => opts.push("ASC".into()),
                    1 => opts.push("DESC".into()),
                    _ => {}
                }
                if g.below(3) == 0 {
                    opts.extend(["COUNT".into(), (1 + g.below(20)).to_string()]);
                    if g.below(3) == 0 {
                        opts.push("ANY".into());
                    }
                }
                let from_member = g.below(2) == 0;
                match g.below(3) {
                    0 if from_member => {
                        let cmd = if store {
                            "GEORADIUSBYMEMBER"
                        } else {
                            "GEORADIUSBYMEMBER_RO"
                        };
                        c.extend([cmd.into(), key.clone(), member(&mut g), radius, unit]);
                    }
                    0 => {
                        let cmd = if store { "GEORADIUS" } else { "GEORADIUS_RO" };
                        c.extend([
                            cmd.into(),
                            key.clone(),
                            fmt_num(&mut g, lon),
                            fmt_num(&mut g, lat),
                            radius,
                            unit,
                        ]);
                    }
                    _ => {
                        if store {
                            c.extend(["GEOSEARCHSTORE".into(), "dst".into(), key.clone()]);
                        } else {
                            c.extend(["GEOSEARCH".into(), key.clone()]);
                        }
                        if from_member {
                            c.extend(["FROMMEMBER".into(), member(&mut g)]);
                        } else {
                            c.extend([
                                "FROMLONLAT".into(),
                                fmt_num(&mut g, lon),
                                fmt_num(&mut g, lat),
                            ]);
                        }
                        if g.below(2) == 0 {
                            c.extend(["BYRADIUS".into(), radius, unit]);
                        } else {
                            let (h, _) = distance_arg(&mut g);
                            c.extend(["BYBOX".into(), radius, h, unit]);
                        }
                        if store && g.below(2) == 0 {
                            opts.push("STOREDIST".into());
                        }
                    }
                }
                let stores_by_option = store && !c[0].starts_with("GEOSEARCH");
                if stores_by_option {
                    opts.extend([g.pick(&["STORE", "STOREDIST"]).into(), "dst".into()]);
                }
                c.extend(opts);
                // Which of several members at the same distance COUNT keeps is not
                // defined (Redis's partial sort is unstable): such replies carry
                // the distances and are compared tie-insensitively, stored ones by size.
                let cut = cut_by_count(&c);
                if cut && !store && !c.iter().any(|a| a == "WITHDIST") {
                    c.push("WITHDIST".into());
                }
                if store {
                    out.push(c);
                    c = if cut {
                        vec!["ZCARD".into(), "dst".into()]
                    } else {
                        vec![
                            "ZRANGE".into(),
                            "dst".into(),
                            "0".into(),
                            "-1".into(),
                            "WITHSCORES".into(),
                        ]
                    };
                }
            }
        }
        out.push(c);
    }
    out
}

/// A search whose sorted result COUNT cuts (without ANY).
fn cut_by_count(cmd: &[String]) -> bool {
    let has = |w: &str| cmd.iter().any(|a| a.eq_ignore_ascii_case(w));
    cmd[0].starts_with("GEO") && has("COUNT") && !has("ANY")
}

/// A [member, distance, ...] list reduced to what is defined when COUNT cuts through
/// equal distances: groups of equal distances, in order, each with its items
/// (unordered), except the last group that only keeps its size.
fn tie_insensitive(r: &Reply) -> Option<Vec<(String, Vec<String>)>> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for item in r.as_array()? {
        let dist = item.as_array()?.get(1)?.as_str()?;
        let text = format!("{item:?}");
        match groups.last_mut() {
            Some((d, v)) if *d == dist => v.push(text),
            _ => groups.push((dist, vec![text])),
        }
    }
    for (_, v) in &mut groups {
        v.sort();
    }
    if let Some((_, v)) = groups.last_mut() {
        *v = vec![format!("{} items", v.len())];
    }
    Some(groups)
}

/// Runs `script` on every server (RESP3 if asked) and compares the replies.
fn compare_random(script: &[Vec<String>], resp3: bool) {
    let mut runs: Vec<Vec<Reply>> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        if resp3 {
            c.cmd(&["HELLO", "3"]);
        }
        runs.push(script.iter().map(|cmd| c.cmd(cmd)).collect());
    });
    let [a, b] = &runs[..] else {
        return;
    };
    let mut found = 0;
    for ((cmd, x), y) in script.iter().zip(a).zip(b) {
        if cmd[0].starts_with("GEO") && x.as_array().is_some_and(|v| !v.is_empty()) {
            found += 1;
        }
        if cut_by_count(cmd) {
            assert_eq!(tie_insensitive(x), tie_insensitive(y), "{cmd:?}");
        }
        if !cut_by_count(cmd) || tie_insensitive(x).is_none() {
            assert_eq!(x, y, "{cmd:?}");
        }
    }
    // The script must find things, not only empty areas.
    assert!(found * 4 > script.len(), "only {found} non-empty replies");
}

#[test]
fn random_operations_match_redis() {
    compare_random(&random_script(0x06e0_2026, 3000), false);
}

#[test]
fn random_operations_resp3_and_tiny_listpack_limits() {
    let mut script = cmds(&[
        "CONFIG SET zset-max-listpack-entries 16",
        "CONFIG SET zset-max-listpack-value 3",
    ]);
    script.extend(random_script(0x0fee_d6e0, 1500));
    compare_random(&script, true);
}
