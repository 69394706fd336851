//! Geo commands: GEOADD GEODIST GEOHASH GEOPOS GEORADIUS(_RO) GEORADIUSBYMEMBER(_RO)
//! GEOSEARCH GEOSEARCHSTORE. Positions live in sorted sets as 52-bit geohash scores;
//! the geometry is in `types::geo`. Argument parsing follows Redis 7.0's order, which
//! decides the error a client sees.

use super::notify::{GENERIC, ZSET};
use super::read_typed;
use super::{acl, flag::*, zsets, Command, Ctx, KeySpec};
use crate::error::{err, lossy, CmdError, CmdResult};
use crate::keyspace::db::NO_EXPIRE;
use crate::keyspace::Value;
use crate::protocol::ReplyBuf;
use crate::types::geo::{self, Extent, Found, Shape, LAT_MAX, LAT_MIN, LON_MAX, LON_MIN};
use crate::types::zset::{Limits, ZSet};
use crate::util::num;

/// Metres per unit, or Redis's error for an unknown unit.
fn unit(arg: &[u8]) -> Result<f64, CmdError> {
    match arg.to_ascii_lowercase().as_slice() {
        b"m" => Ok(1.0),
        b"km" => Ok(1000.0),
        b"ft" => Ok(0.3048),
        b"mi" => Ok(1609.34),
        _ => err("ERR unsupported unit provided. please use M, KM, FT, MI"),
    }
}

/// The longitude and latitude at `argv[i]`, `argv[i + 1]`, within the indexable limits.
fn lon_lat(argv: &[Vec<u8>], i: usize) -> Result<(f64, f64), CmdError> {
    let float = |j: usize| {
        argv.get(j)
            .and_then(|a| num::parse_f64(a))
            .ok_or(CmdError::NotFloat)
    };
    let (lon, lat) = (float(i)?, float(i + 1)?);
    if !(LON_MIN..=LON_MAX).contains(&lon) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        // C's "%f", as Redis prints the pair.
        return err(format!(
            "ERR invalid longitude,latitude pair {lon:.6},{lat:.6}"
        ));
    }
    Ok((lon, lat))
}

/// A non-negative number at `argv[i]`, with `what` in the error when it is not one.
fn dimension(argv: &[Vec<u8>], i: usize, what: &'static str) -> Result<f64, CmdError> {
    argv.get(i)
        .and_then(|a| num::parse_f64(a))
        .ok_or(CmdError::msg(what))
}

/// `radius unit` at `argv[i]`: (radius in units, metres per unit).
fn radius(argv: &[Vec<u8>], i: usize) -> Result<(f64, f64), CmdError> {
    let r = dimension(argv, i, "ERR need numeric radius")?;
    if r < 0.0 {
        return err("ERR radius cannot be negative");
    }
    Ok((r, unit(argv.get(i + 1).map_or(&[][..], |u| u))?))
}

/// `width height unit` at `argv[i]`: (width, height in units, metres per unit).
fn box_size(argv: &[Vec<u8>], i: usize) -> Result<(f64, f64, f64), CmdError> {
    let w = dimension(argv, i, "ERR need numeric width")?;
    let h = dimension(argv, i + 1, "ERR need numeric height")?;
    if h < 0.0 || w < 0.0 {
        return err("ERR height or width cannot be negative");
    }
    Ok((w, h, unit(argv.get(i + 2).map_or(&[][..], |u| u))?))
}

/// The position of `member`, the centre of a FROMMEMBER/BYMEMBER search.
fn member_position(z: &ZSet, member: &[u8]) -> Result<(f64, f64), CmdError> {
    z.score(member)
        .map(geo::position)
        .ok_or(CmdError::msg("ERR could not decode requested zset member"))
}

/// A distance as Redis prints it: C's "%.4f".
fn fmt_distance(d: f64) -> String {
    if d.is_nan() {
        return if d.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "inf" } else { "-inf" }.into();
    }
    format!("{d:.4}")
}

/// A coordinate as Redis's addReplyHumanLongDouble: "%.17Lf" without trailing zeros,
/// as a RESP3 double or a RESP2 bulk string. (The value is a double, so printing
/// it exactly to 17 places is what the long double formatting gives.)
fn reply_coord(out: &mut ReplyBuf, v: f64) {
    let text = format!("{v:.17}");
    let mut text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        text = "0";
    }
    if out.is_resp3() {
        out.raw(format!(",{text}\r\n").as_bytes());
    } else {
        out.bulk(text.as_bytes());
    }
}

fn zset_limits(ctx: &Ctx) -> Limits {
    let c = &ctx.core.config;
    Limits {
        entries: usize::try_from(c.zset_max_listpack_entries).unwrap_or(usize::MAX),
        value: usize::try_from(c.zset_max_listpack_value).unwrap_or(usize::MAX),
    }
}

// ---------------------------------------------------------------------------
// GEOADD
// ---------------------------------------------------------------------------

/// GEOADD key [NX|XX] [CH] longitude latitude member [...]: as in Redis, the
/// coordinates become scores and ZADD does the rest (its replies, encoding and
/// "zadd" event).
fn geoadd(ctx: &mut Ctx) -> CmdResult {
    let (mut nx, mut xx) = (false, false);
    let mut at = 2;
    while at < ctx.argc() {
        if ctx.is(at, "nx") {
            nx = true;
        } else if ctx.is(at, "xx") {
            xx = true;
        } else if !ctx.is(at, "ch") {
            break;
        }
        at += 1;
    }
    let triples = ctx.argc() - at;
    if !triples.is_multiple_of(3) || (nx && xx) {
        return Err(CmdError::Syntax);
    }
    let n = triples / 3;
    let mut scores = Vec::with_capacity(n);
    for k in 0..n {
        let (lon, lat) = lon_lat(&ctx.argv, at + 3 * k)?;
        scores.push(geo::score_of(lon, lat));
    }
    let mut argv = Vec::with_capacity(at + 2 * n);
    argv.push(b"zadd".to_vec());
    for i in 1..at {
        argv.push(ctx.take_arg(i));
    }
    for (k, score) in scores.into_iter().enumerate() {
        argv.push(score.to_string().into_bytes());
        argv.push(ctx.take_arg(at + 3 * k + 2));
    }
    ctx.argv = argv;
    zsets::zadd(ctx)
}

// ---------------------------------------------------------------------------
// GEODIST / GEOHASH / GEOPOS
// ---------------------------------------------------------------------------

/// GEODIST key member1 member2 [M|KM|FT|MI]
fn geodist(ctx: &mut Ctx) -> CmdResult {
    let to_m = match ctx.argc() {
        5 => unit(ctx.arg(4))?,
        4 => 1.0,
        _ => return Err(CmdError::Syntax),
    };
    let (a, b) = (ctx.arg(2).to_vec(), ctx.arg(3).to_vec());
    let d = ctx.read_arg::<ZSet>(1)?.and_then(|z| {
        let (lon1, lat1) = geo::position(z.score(&a)?);
        let (lon2, lat2) = geo::position(z.score(&b)?);
        Some(geo::distance(lon1, lat1, lon2, lat2) / to_m)
    });
    match d {
        Some(d) => ctx.out().bulk(fmt_distance(d).as_bytes()),
        None => ctx.out().null(),
    }
    Ok(())
}

/// GEOHASH key [member ...]: 11-character standard geohashes (null when missing).
fn geohash(ctx: &mut Ctx) -> CmdResult {
    let hashes: Vec<Option<[u8; 11]>> = {
        let members = ctx.argv[2..].to_vec();
        let z = ctx.read_arg::<ZSet>(1)?;
        members
            .iter()
            .map(|m| z.and_then(|z| z.score(m)).map(geo::geohash_string))
            .collect()
    };
    let out = ctx.out();
    out.array(hashes.len());
    for h in hashes {
        match h {
            Some(h) => out.bulk(&h),
            None => out.null(),
        }
    }
    Ok(())
}

/// GEOPOS key [member ...]: [longitude, latitude] pairs (null arrays when missing).
fn geopos(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let z = read_typed::<ZSet>(core, client.db, &argv[1])?;
    let out = &mut client.out;
    out.array(argv.len() - 2);
    for m in &argv[2..] {
        match z.and_then(|z| z.score(m)).map(geo::position) {
            Some((lon, lat)) => {
                out.array(2);
                reply_coord(out, lon);
                reply_coord(out, lat);
            }
            None => out.null_array(),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The searches
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Radius,
    RadiusRo,
    ByMember,
    ByMemberRo,
    Search,
    SearchStore,
}

impl Kind {
    fn is_search(self) -> bool {
        matches!(self, Kind::Search | Kind::SearchStore)
    }
    /// GEORADIUS and GEORADIUSBYMEMBER accept STORE and STOREDIST key.
    fn takes_store_key(self) -> bool {
        matches!(self, Kind::Radius | Kind::ByMember)
    }
}

#[derive(Clone, Copy, PartialEq, Default)]
enum Sort {
    #[default]
    None,
    Asc,
    Desc,
}

/// The options of a search.
#[derive(Default)]
struct Opts {
    withdist: bool,
    withhash: bool,
    withcoord: bool,
    sort: Sort,
    /// COUNT (0: none).
    count: usize,
    any: bool,
    /// Argument index of the destination key (STORE, STOREDIST, GEOSEARCHSTORE).
    store: Option<usize>,
    storedist: bool,
}

/// What a search found, and the size of its unit in metres (distances are reported
/// in that unit).
#[derive(Default)]
struct Results {
    found: Vec<Found>,
    to_m: f64,
}

/// Parses a search and runs it: the options, and the results, or None when the
/// source key does not exist.
fn run_search(ctx: &mut Ctx, kind: Kind) -> Result<(Opts, Option<Results>), CmdError> {
    let src = if kind == Kind::SearchStore { 2 } else { 1 };
    let Ctx { core, client, argv } = ctx;
    let argv: &[Vec<u8>] = argv;
    let z = read_typed::<ZSet>(core, client.db, &argv[src])?;
    let mut o = Opts::default();
    let mut center = None;
    let mut extent = None;
    let mut to_m = 1.0;
    let first_opt = match kind {
        Kind::Radius | Kind::RadiusRo => {
            center = Some(lon_lat(argv, 2)?);
            let (r, u) = radius(argv, 4)?;
            (extent, to_m) = (Some(Extent::Radius(r)), u);
            6
        }
        Kind::ByMember | Kind::ByMemberRo => {
            // Without the key Redis checks neither the member nor the radius.
            if let Some(z) = z {
                center = Some(member_position(z, &argv[2])?);
                let (r, u) = radius(argv, 3)?;
                (extent, to_m) = (Some(Extent::Radius(r)), u);
            }
            5
        }
        Kind::Search => 2,
        Kind::SearchStore => {
            o.store = Some(1);
            3
        }
    };
    let (mut frommember, mut fromlonlat, mut byradius, mut bybox) = (false, false, false, false);
    let is = |i: usize, word: &str| argv[i].eq_ignore_ascii_case(word.as_bytes());
    let mut i = first_opt;
    while i < argv.len() {
        // Arguments after this one.
        let more = argv.len() - i - 1;
        if is(i, "withdist") {
            o.withdist = true;
        } else if is(i, "withhash") {
            o.withhash = true;
        } else if is(i, "withcoord") {
            o.withcoord = true;
        } else if is(i, "any") {
            o.any = true;
        } else if is(i, "asc") {
            o.sort = Sort::Asc;
        } else if is(i, "desc") {
            o.sort = Sort::Desc;
        } else if is(i, "count") && more >= 1 {
            let n = num::parse_i64(&argv[i + 1]).ok_or(CmdError::NotInteger)?;
            if n <= 0 {
                return err("ERR COUNT must be > 0");
            }
            o.count = usize::try_from(n).unwrap_or(usize::MAX);
            i += 1;
        } else if (is(i, "store") || is(i, "storedist")) && more >= 1 && kind.takes_store_key() {
            o.storedist = is(i, "storedist");
            o.store = Some(i + 1);
            i += 1;
        } else if is(i, "storedist") && kind == Kind::SearchStore {
            o.storedist = true;
        } else if is(i, "frommember") && more >= 1 && kind.is_search() && !fromlonlat {
            // Without the key the member is not looked up; the parsing goes on.
            if let Some(z) = z {
                center = Some(member_position(z, &argv[i + 1])?);
            }
            frommember = true;
            i += 1;
        } else if is(i, "fromlonlat") && more >= 2 && kind.is_search() && !frommember {
            center = Some(lon_lat(argv, i + 1)?);
            fromlonlat = true;
            i += 2;
        } else if is(i, "byradius") && more >= 2 && kind.is_search() && !bybox {
            let (r, u) = radius(argv, i + 1)?;
            (extent, to_m) = (Some(Extent::Radius(r)), u);
            byradius = true;
            i += 2;
        } else if is(i, "bybox") && more >= 3 && kind.is_search() && !byradius {
            let (width, height, u) = box_size(argv, i + 1)?;
            (extent, to_m) = (Some(Extent::Box { width, height }), u);
            bybox = true;
            i += 3;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    if o.store.is_some() && (o.withdist || o.withhash || o.withcoord) {
        let what = if kind == Kind::SearchStore {
            "GEOSEARCHSTORE"
        } else {
            "STORE option in GEORADIUS"
        };
        return err(format!(
            "ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        ));
    }
    if kind.is_search() && !(frommember || fromlonlat) {
        return err(format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {}",
            lossy(&argv[0])
        ));
    }
    if kind.is_search() && !(byradius || bybox) {
        return err(format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {}",
            lossy(&argv[0])
        ));
    }
    if o.any && o.count == 0 {
        return err("ERR the ANY argument requires COUNT argument");
    }
    let (Some(z), Some((lon, lat)), Some(extent)) = (z, center, extent) else {
        return Ok((o, None));
    };
    // COUNT means the nearest ones, unless ANY asks for the first ones found.
    if o.count > 0 && o.sort == Sort::None && !o.any {
        o.sort = Sort::Asc;
    }
    let shape = Shape {
        lon,
        lat,
        extent,
        to_m,
    };
    let mut found = shape.search(z, if o.any { o.count } else { 0 });
    // A stable sort keeps scan order among equal distances, as glibc's qsort does.
    match o.sort {
        Sort::None => {}
        Sort::Asc => found.sort_by(|a, b| a.dist.total_cmp(&b.dist)),
        Sort::Desc => found.sort_by(|a, b| b.dist.total_cmp(&a.dist)),
    }
    if o.count > 0 {
        found.truncate(o.count);
    }
    Ok((o, Some(Results { found, to_m })))
}

fn search_generic(ctx: &mut Ctx, kind: Kind) -> CmdResult {
    let (o, result) = run_search(ctx, kind)?;
    let Some(dst) = o.store else {
        let r = result.unwrap_or_default();
        reply_found(ctx.out(), &o, &r.found, r.to_m);
        return Ok(());
    };
    let items: Vec<(Vec<u8>, f64)> = match result {
        Some(Results { found, to_m }) => found
            .into_iter()
            .map(|p| {
                let score = if o.storedist { p.dist / to_m } else { p.score };
                (p.member, score)
            })
            .collect(),
        None => Vec::new(),
    };
    let n = items.len();
    let key = ctx.arg(dst).to_vec();
    if n > 0 {
        let z = ZSet::from_elements(items, zset_limits(ctx));
        // Expire a stale destination first, as Redis's setKey does.
        ctx.lookup_write(dst);
        let clock = ctx.core.lru_clock();
        ctx.db()
            .set(&key, Value::ZSet(Box::new(z)), NO_EXPIRE, clock);
        ctx.dirty(n as u64);
        let event = if kind.is_search() {
            "geosearchstore"
        } else {
            "georadiusstore"
        };
        ctx.notify(ZSET, event, dst);
    } else if ctx.db().remove(&key).is_some() {
        ctx.dirty(1);
        ctx.notify(GENERIC, "del", dst);
    }
    ctx.out().int(n as i64);
    Ok(())
}

/// The reply of a search without STORE: members, or [member, dist?, hash?, coords?].
fn reply_found(out: &mut ReplyBuf, o: &Opts, found: &[Found], to_m: f64) {
    let extra = usize::from(o.withdist) + usize::from(o.withhash) + usize::from(o.withcoord);
    out.array(found.len());
    for p in found {
        if extra > 0 {
            out.array(extra + 1);
        }
        out.bulk(&p.member);
        if o.withdist {
            out.bulk(fmt_distance(p.dist / to_m).as_bytes());
        }
        if o.withhash {
            out.int(p.score as i64);
        }
        if o.withcoord {
            out.array(2);
            reply_coord(out, p.lon);
            reply_coord(out, p.lat);
        }
    }
}

fn georadius(ctx: &mut Ctx) -> CmdResult {
    search_generic(ctx, Kind::Radius)
}
fn georadius_ro(ctx: &mut Ctx) -> CmdResult {
    search_generic(ctx, Kind::RadiusRo)
}
fn georadiusbymember(ctx: &mut Ctx) -> CmdResult {
    search_generic(ctx, Kind::ByMember)
}
fn georadiusbymember_ro(ctx: &mut Ctx) -> CmdResult {
    search_generic(ctx, Kind::ByMemberRo)
}
fn geosearch(ctx: &mut Ctx) -> CmdResult {
    search_generic(ctx, Kind::Search)
}
fn geosearchstore(ctx: &mut Ctx) -> CmdResult {
    search_generic(ctx, Kind::SearchStore)
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

const GEO: u32 = acl::GEO;
const G: &str = "geo";
const RADIUS_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
const SEARCH_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";

/// GEORADIUS's keys: the source, then the keys after STORE and STOREDIST (searched
/// from the first optional argument).
const fn radius_specs(startfrom: i32) -> [KeySpec; 3] {
    [
        KeySpec::new(1, 0, 1, "RO access"),
        KeySpec::keyword("STORE", startfrom, 0, 1, "OW update"),
        KeySpec::keyword("STOREDIST", startfrom, 0, 1, "OW update"),
    ]
}
const GEORADIUS_SPECS: [KeySpec; 3] = radius_specs(6);
const GEORADIUSBYMEMBER_SPECS: [KeySpec; 3] = radius_specs(5);

pub const COMMANDS: &[Command] = &[
    Command::new("geoadd", -5, geoadd).flags(WRITE | DENYOOM).acl(GEO).keys(1, 1, 1, "RW update")
        .doc(G, "3.2.0", "Add one or more geospatial items in the geospatial index represented using a sorted set", "O(log(N)) for each item added, where N is the number of elements in the sorted set."),
    Command::new("geodist", -4, geodist).flags(READONLY).acl(GEO).keys(1, 1, 1, "RO access")
        .doc(G, "3.2.0", "Returns the distance between two members of a geospatial index", "O(log(N))"),
    Command::new("geohash", -2, geohash).flags(READONLY).acl(GEO).keys(1, 1, 1, "RO access")
        .doc(G, "3.2.0", "Returns members of a geospatial index as standard geohash strings", "O(log(N)) for each member requested, where N is the number of elements in the sorted set."),
    Command::new("geopos", -2, geopos).flags(READONLY).acl(GEO).keys(1, 1, 1, "RO access")
        .doc(G, "3.2.0", "Returns longitude and latitude of members of a geospatial index", "O(N) where N is the number of members requested."),
    Command::new("georadius", -6, georadius).flags(WRITE | DENYOOM | MOVABLE_KEYS).acl(GEO).keys(1, 1, 1, "")
        .key_specs(&GEORADIUS_SPECS)
        .doc(G, "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point", RADIUS_COMPLEXITY),
    Command::new("georadius_ro", -6, georadius_ro).flags(READONLY).acl(GEO).keys(1, 1, 1, "RO access")
        .doc(G, "3.2.10", "A read-only variant for GEORADIUS", RADIUS_COMPLEXITY),
    Command::new("georadiusbymember", -5, georadiusbymember).flags(WRITE | DENYOOM | MOVABLE_KEYS).acl(GEO).keys(1, 1, 1, "")
        .key_specs(&GEORADIUSBYMEMBER_SPECS)
        .doc(G, "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member", RADIUS_COMPLEXITY),
    Command::new("georadiusbymember_ro", -5, georadiusbymember_ro).flags(READONLY).acl(GEO).keys(1, 1, 1, "RO access")
        .doc(G, "3.2.10", "A read-only variant for GEORADIUSBYMEMBER", RADIUS_COMPLEXITY),
    Command::new("geosearch", -7, geosearch).flags(READONLY).acl(GEO).keys(1, 1, 1, "RO access")
        .doc(G, "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.", SEARCH_COMPLEXITY),
    Command::new("geosearchstore", -8, geosearchstore).flags(WRITE | DENYOOM).acl(GEO).keys(1, 2, 1, "")
        .key_specs(&[KeySpec::new(1, 0, 1, "OW update"), KeySpec::new(2, 0, 1, "RO access")])
        .doc(G, "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.", SEARCH_COMPLEXITY),
];
