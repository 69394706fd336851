//! Geospatial indexes stored in sorted sets, computed exactly as Redis 7.0 does so
//! that every score, coordinate, distance and search result agrees with it.
//!
//! A position is a cell of a 2^26 x 2^26 grid over longitude -180..180 and latitude
//! -85.05112878..85.05112878 (the Web Mercator limits). The two 26-bit cell indexes
//! are interleaved into one 52-bit number (latitude on the even bits, longitude on
//! the odd ones), which is the member's score, so nearby points have nearby scores
//! and a coarser cell (a prefix of the bits) is one score interval.
//!
//! A search picks a cell size from the radius, takes the cell holding the centre and
//! its 8 neighbours, reads each one's score interval from the sorted set and keeps
//! the points that are really inside the circle or box. Everything here mirrors
//! Redis's arithmetic step for step (same operations in the same order, the same
//! libm), because a different rounding would move a point across a border.

use crate::types::zset::ZSet;

pub const LON_MIN: f64 = -180.0;
pub const LON_MAX: f64 = 180.0;
pub const LAT_MIN: f64 = -85.05112878;
pub const LAT_MAX: f64 = 85.05112878;
/// Bits per coordinate of a stored position.
const STEP_MAX: u8 = 26;
/// Redis's earth radius (metres) for the haversine formula.
const EARTH_RADIUS: f64 = 6372797.560856;
/// Half the Mercator world width (metres), used to guess a cell size from a radius.
const MERCATOR_MAX: f64 = 20037726.37;
/// Degrees to radians, computed as Redis does (not the more precise literal).
const DEG_TO_RAD: f64 = std::f64::consts::PI / 180.0;

/// Latitude bits of an interleaved cell number.
const LAT_BITS: u64 = 0x5555_5555_5555_5555;
/// Longitude bits of an interleaved cell number.
const LON_BITS: u64 = 0xaaaa_aaaa_aaaa_aaaa;

/// A coordinate interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub min: f64,
    pub max: f64,
}

const LON_SPAN: Span = Span {
    min: LON_MIN,
    max: LON_MAX,
};
const LAT_SPAN: Span = Span {
    min: LAT_MIN,
    max: LAT_MAX,
};
/// The latitude range of standard geohash strings (GEOHASH re-encodes with it).
const LAT_SPAN_STD: Span = Span {
    min: -90.0,
    max: 90.0,
};

/// A grid cell: `step` bits per coordinate, interleaved into `bits`.
/// `Cell::NONE` marks a neighbour left out of a search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub bits: u64,
    pub step: u8,
}

impl Cell {
    const NONE: Cell = Cell { bits: 0, step: 0 };

    fn is_none(self) -> bool {
        self == Cell::NONE
    }

    /// The cell's number scaled to 52 bits: the lowest score inside it.
    fn aligned(self) -> u64 {
        self.bits << (52 - 2 * u32::from(self.step))
    }
}

/// The rectangle a cell covers.
#[derive(Clone, Copy, Debug)]
struct Area {
    lon: Span,
    lat: Span,
}

/// Spreads the 32 bits of `v` onto the even bits of a u64.
fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
    x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & LAT_BITS
}

/// Gathers the even bits of `v` into a u32 (the inverse of [`spread`]).
fn gather(v: u64) -> u32 {
    let mut x = v & LAT_BITS;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | (x >> 4)) & 0x00ff_00ff_00ff_00ff;
    x = (x | (x >> 8)) & 0x0000_ffff_0000_ffff;
    x = (x | (x >> 16)) & 0x0000_0000_ffff_ffff;
    x as u32
}

/// The cell of `step` bits holding (lon, lat) within the given ranges; None outside
/// them or outside the Mercator limits (which always apply).
fn encode(lon_span: Span, lat_span: Span, lon: f64, lat: f64, step: u8) -> Option<Cell> {
    if !(LON_MIN..=LON_MAX).contains(&lon) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return None;
    }
    if lat < lat_span.min || lat > lat_span.max || lon < lon_span.min || lon > lon_span.max {
        return None;
    }
    let scale = (1u64 << step) as f64;
    let mut lat_off = (lat - lat_span.min) / (lat_span.max - lat_span.min);
    let mut lon_off = (lon - lon_span.min) / (lon_span.max - lon_span.min);
    lat_off *= scale;
    lon_off *= scale;
    // At the upper limits the offset is 2^step, one past the last cell: Redis keeps
    // that overflow bit, and so do we.
    Some(Cell {
        bits: spread(lat_off as u32) | (spread(lon_off as u32) << 1),
        step,
    })
}

/// The rectangle covered by `cell` in the given ranges.
fn decode(cell: Cell, lon_span: Span, lat_span: Span) -> Area {
    let ilat = gather(cell.bits);
    let ilon = gather(cell.bits >> 1);
    let div = (1u64 << cell.step) as f64;
    let lat_scale = lat_span.max - lat_span.min;
    let lon_scale = lon_span.max - lon_span.min;
    let edge = |min: f64, i: u32, scale: f64| min + (f64::from(i) * 1.0 / div) * scale;
    Area {
        lat: Span {
            min: edge(lat_span.min, ilat, lat_scale),
            max: edge(lat_span.min, ilat.wrapping_add(1), lat_scale),
        },
        lon: Span {
            min: edge(lon_span.min, ilon, lon_scale),
            max: edge(lon_span.min, ilon.wrapping_add(1), lon_scale),
        },
    }
}

/// The 52-bit score of a position (GEOADD). The caller has checked the limits.
pub fn score_of(lon: f64, lat: f64) -> u64 {
    encode(LON_SPAN, LAT_SPAN, lon, lat, STEP_MAX).map_or(0, Cell::aligned)
}

/// A score as the integer Redis takes from it: C's `(uint64_t)` conversion of a
/// double as compiled for x86-64 (negative values wrap, values out of range give
/// 2^63 below 2^63 and 0 above), which decides where odd scores decode to.
fn score_bits(score: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let truncate = |d: f64| -> u64 {
        if d.is_nan() || !(-TWO_63..TWO_63).contains(&d) {
            1 << 63
        } else {
            d as i64 as u64
        }
    };
    if score >= TWO_63 {
        truncate(score - TWO_63) ^ (1 << 63)
    } else {
        truncate(score)
    }
}

/// The position (longitude, latitude) a score stands for: the centre of its cell,
/// clamped to the limits.
pub fn position(score: f64) -> (f64, f64) {
    let cell = Cell {
        bits: score_bits(score),
        step: STEP_MAX,
    };
    let a = decode(cell, LON_SPAN, LAT_SPAN);
    let lon = ((a.lon.min + a.lon.max) / 2.0).clamp(LON_MIN, LON_MAX);
    let lat = ((a.lat.min + a.lat.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
}

/// The 11-character standard geohash of a score (GEOHASH): its position re-encoded
/// with latitudes -90..90; the 11th character stands for bits Redis does not have.
pub fn geohash_string(score: f64) -> [u8; 11] {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let (lon, lat) = position(score);
    let bits = encode(LON_SPAN, LAT_SPAN_STD, lon, lat, STEP_MAX).map_or(0, |c| c.bits);
    let mut out = [ALPHABET[0]; 11];
    for (i, ch) in out.iter_mut().take(10).enumerate() {
        let idx = (bits >> (52 - (i + 1) * 5)) & 0x1f;
        *ch = ALPHABET[idx as usize];
    }
    out
}

fn deg_rad(deg: f64) -> f64 {
    deg * DEG_TO_RAD
}

fn rad_deg(rad: f64) -> f64 {
    rad / DEG_TO_RAD
}

/// Great-circle distance in metres (haversine), with Redis's operation order.
pub fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let lat1r = deg_rad(lat1);
    let lon1r = deg_rad(lon1);
    let lat2r = deg_rad(lat2);
    let lon2r = deg_rad(lon2);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let v = ((lon2r - lon1r) / 2.0).sin();
    2.0 * EARTH_RADIUS * (u * u + lat1r.cos() * lat2r.cos() * v * v).sqrt().asin()
}

/// The neighbour of `cell` one step along the coordinate whose bits are `mine`
/// (`forward`: east or north), wrapping around at the grid's edge.
fn step_cell(cell: Cell, mine: u64, forward: bool) -> Cell {
    let width = 64 - 2 * u32::from(cell.step);
    let moved = cell.bits & mine;
    let other = cell.bits & !mine;
    // The other coordinate's bit positions set to one, so that a carry or borrow
    // ripples straight through them.
    let fill = !mine >> width;
    let moved = if forward {
        moved.wrapping_add(fill + 1)
    } else {
        (moved | fill).wrapping_sub(fill + 1)
    };
    Cell {
        bits: (moved & (mine >> width)) | other,
        step: cell.step,
    }
}

fn east(c: Cell) -> Cell {
    step_cell(c, LON_BITS, true)
}
fn west(c: Cell) -> Cell {
    step_cell(c, LON_BITS, false)
}
fn north(c: Cell) -> Cell {
    step_cell(c, LAT_BITS, true)
}
fn south(c: Cell) -> Cell {
    step_cell(c, LAT_BITS, false)
}

/// What a search covers, in the units given (`to_m` converts them to metres).
#[derive(Clone, Copy, Debug)]
pub enum Extent {
    Radius(f64),
    Box { width: f64, height: f64 },
}

/// A search area: its centre, its extent and the unit's size in metres.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub lon: f64,
    pub lat: f64,
    pub extent: Extent,
    pub to_m: f64,
}

/// A point found by a search.
#[derive(Clone, Debug)]
pub struct Found {
    pub member: Vec<u8>,
    pub score: f64,
    pub lon: f64,
    pub lat: f64,
    /// Distance from the centre, in metres.
    pub dist: f64,
}

impl Shape {
    /// Bounding box (min lon, min lat, max lon, max lat) of the search area. The
    /// longitude span is taken at the latitude edge nearer the pole, where it is
    /// widest in degrees.
    fn bounds(&self) -> (f64, f64, f64, f64) {
        let (half_w, half_h) = match self.extent {
            Extent::Radius(r) => (self.to_m * r, self.to_m * r),
            Extent::Box { width, height } => {
                (self.to_m * (width / 2.0), self.to_m * (height / 2.0))
            }
        };
        let lat_delta = rad_deg(half_h / EARTH_RADIUS);
        let lon_delta_top = rad_deg(half_w / EARTH_RADIUS / deg_rad(self.lat + lat_delta).cos());
        let lon_delta_bottom = rad_deg(half_w / EARTH_RADIUS / deg_rad(self.lat - lat_delta).cos());
        let lon_delta = if self.lat < 0.0 {
            lon_delta_bottom
        } else {
            lon_delta_top
        };
        (
            self.lon - lon_delta,
            self.lat - lat_delta,
            self.lon + lon_delta,
            self.lat + lat_delta,
        )
    }

    /// The distance of (lon, lat) from the centre if the point is inside the area.
    fn contains(&self, lon: f64, lat: f64) -> Option<f64> {
        match self.extent {
            Extent::Radius(r) => {
                let d = distance(self.lon, self.lat, lon, lat);
                (d <= r * self.to_m || d.is_nan()).then_some(d)
            }
            Extent::Box { width, height } => {
                let (width_m, height_m) = (width * self.to_m, height * self.to_m);
                let lon_d = distance(lon, lat, self.lon, lat);
                let lat_d = distance(lon, lat, lon, self.lat);
                if lon_d > width_m / 2.0 || lat_d > height_m / 2.0 {
                    return None;
                }
                Some(distance(self.lon, self.lat, lon, lat))
            }
        }
    }

    /// The cells to scan: the centre's cell, then its north, south, east, west,
    /// north-east, north-west, south-east and south-west neighbours (NONE where
    /// a neighbour cannot hold a match).
    pub fn cells(&self) -> [Cell; 9] {
        let (min_lon, min_lat, max_lon, max_lat) = self.bounds();
        let radius_m = match self.extent {
            Extent::Radius(r) => r,
            Extent::Box { width, height } => {
                ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
            }
        } * self.to_m;
        let mut step = estimate_step(radius_m, self.lat);
        let around = |step: u8| {
            let c = encode(LON_SPAN, LAT_SPAN, self.lon, self.lat, step)
                .unwrap_or(Cell { bits: 0, step });
            (c, decode(c, LON_SPAN, LAT_SPAN))
        };
        let (mut cell, mut area) = around(step);
        // Near the edges of the covered area the cells may be too small to reach
        // the bounding box: then use cells one size bigger.
        // (Comparisons written as Redis's: a NaN bound never asks for bigger cells.)
        let too_small = |c: Cell| {
            decode(north(c), LON_SPAN, LAT_SPAN).lat.max < max_lat
                || decode(south(c), LON_SPAN, LAT_SPAN).lat.min > min_lat
                || decode(east(c), LON_SPAN, LAT_SPAN).lon.max < max_lon
                || decode(west(c), LON_SPAN, LAT_SPAN).lon.min > min_lon
        };
        if step > 1 && too_small(cell) {
            step -= 1;
            (cell, area) = around(step);
        }
        let mut cells = [
            cell,
            north(cell),
            south(cell),
            east(cell),
            west(cell),
            north(east(cell)),
            north(west(cell)),
            south(east(cell)),
            south(west(cell)),
        ];
        // Leave out the neighbours beyond a side of the centre cell that already
        // covers the bounding box on that side.
        if step >= 2 {
            let mut drop = |idx: [usize; 3]| idx.iter().for_each(|&i| cells[i] = Cell::NONE);
            if area.lat.min < min_lat {
                drop([2, 7, 8]);
            }
            if area.lat.max > max_lat {
                drop([1, 5, 6]);
            }
            if area.lon.min < min_lon {
                drop([4, 8, 6]);
            }
            if area.lon.max > max_lon {
                drop([3, 7, 5]);
            }
        }
        cells
    }

    /// The members of `z` inside the area, in scan order (cell by cell, ascending
    /// score within a cell). With `limit` > 0 the scan stops once that many are found.
    pub fn search(&self, z: &ZSet, limit: usize) -> Vec<Found> {
        let cells = self.cells();
        let mut out = Vec::new();
        let mut last = 0;
        for (i, &cell) in cells.iter().enumerate() {
            if cell.is_none() {
                continue;
            }
            // Huge areas can make a neighbour the same cell as the one scanned just
            // before it: skip it (only that one, as Redis does).
            if last != 0 && cells[last] == cell {
                continue;
            }
            if limit > 0 && out.len() >= limit {
                break;
            }
            self.scan_cell(z, cell, limit, &mut out);
            last = i;
        }
        out
    }

    /// Appends the matches among the members whose scores fall inside `cell`.
    fn scan_cell(&self, z: &ZSet, cell: Cell, limit: usize, out: &mut Vec<Found>) {
        let min = cell.aligned() as f64;
        let max = Cell {
            bits: cell.bits.wrapping_add(1),
            step: cell.step,
        }
        .aligned() as f64;
        let lo = z.count_while(&|s, _| s < min);
        let hi = z.count_while(&|s, _| s < max);
        // Visit in chunks so that a limited search stops early on big sets.
        const CHUNK: usize = 64;
        let mut start = lo;
        while start < hi {
            let end = (start + CHUNK).min(hi);
            let mut full = false;
            z.visit(start, end, false, &mut |member, score| {
                if full {
                    return;
                }
                let (lon, lat) = position(score);
                if let Some(dist) = self.contains(lon, lat) {
                    out.push(Found {
                        member: member.to_vec(),
                        score,
                        lon,
                        lat,
                        dist,
                    });
                }
                full = limit > 0 && out.len() >= limit;
            });
            if full {
                return;
            }
            start = end;
        }
    }
}

/// The cell size (bits per coordinate) whose cells are about as big as the search
/// radius, smaller near the poles where cells get narrow.
fn estimate_step(mut radius_m: f64, lat: f64) -> u8 {
    if radius_m == 0.0 {
        return STEP_MAX;
    }
    let mut step: i32 = 1;
    while radius_m < MERCATOR_MAX {
        radius_m *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, i32::from(STEP_MAX)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_round_trips() {
        for v in [0u32, 1, 0x3ff_ffff, 0xdead_beef, u32::MAX] {
            assert_eq!(gather(spread(v)), v);
            assert_eq!(gather(spread(v) << 1 >> 1), v);
        }
        assert_eq!(spread(0b11), 0b101);
    }

    #[test]
    fn scores_match_redis() {
        // GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
        assert_eq!(score_of(13.361389, 38.115556), 3479099956230698);
        assert_eq!(score_of(15.087269, 37.502669), 3479447370796909);
        let (lon, lat) = position(3479099956230698.0);
        assert_eq!(
            format!("{lon:.17} {lat:.17}"),
            "13.36138933897018433 38.11555639549629859"
        );
        assert_eq!(&geohash_string(3479099956230698.0), b"sqc8b49rny0");
        assert_eq!(&geohash_string(3479447370796909.0), b"sqdtr74hyu0");
        let (lon2, lat2) = position(3479447370796909.0);
        let d = distance(lon, lat, lon2, lat2);
        assert_eq!(format!("{d:.4}"), "166274.1516");
    }

    #[test]
    fn odd_scores_decode_like_redis() {
        // Scores that no GEOADD produces still decode where Redis puts them.
        assert_eq!(position(-1.0), (180.0, LAT_MAX));
        assert_eq!(position(1e30).0, position(0.0).0);
        assert_eq!(position(f64::NEG_INFINITY).0, 180.0);
        assert_eq!(score_bits(f64::INFINITY), 0);
        assert_eq!(score_bits(1.5), 1);
    }

    #[test]
    fn neighbours_wrap_around() {
        let c = Cell { bits: 0, step: 2 };
        // West of longitude cell 0 is cell 3 (odd bits 1 and 3).
        assert_eq!(west(c).bits, 0b1010);
        assert_eq!(east(west(c)), c);
        assert_eq!(south(north(c)), c);
        assert_eq!(north(c).bits, 0b0001);
    }

    #[test]
    fn step_estimate() {
        assert_eq!(estimate_step(0.0, 0.0), 26);
        assert_eq!(estimate_step(1e9, 0.0), 1);
        assert_eq!(estimate_step(1000.0, 0.0), 14);
        assert_eq!(estimate_step(1000.0, 70.0), 13);
        assert_eq!(estimate_step(1000.0, -85.0), 12);
    }
}
