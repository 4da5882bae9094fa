//! A small force-directed layout (Fruchterman–Reingold with gravity), then
//! overlap removal over each node's box (shape and label), so that the
//! built-in SVG needs no external program. Deterministic: no randomness,
//! nodes start on a sunflower spiral, most important in the middle.

/// The space a node needs around its centre: its shape and its label.
#[derive(Clone, Copy, Debug)]
pub struct NodeBox {
    /// Half the width.
    pub half_width: f64,
    /// Height above the centre.
    pub above: f64,
    /// Height below the centre (the label hangs below the shape).
    pub below: f64,
}

/// The ideal edge length, in SVG pixels.
const K: f64 = 75.0;

/// Positions for `boxes.len()` nodes joined by `edges` (`(a, b, weight)`,
/// undirected; parallel ones add up). `rank[i]` orders the start spiral:
/// rank 0 starts in the middle. Each connected part is laid out on its
/// own, then the parts are packed in rows, biggest first, so that loose
/// nodes do not drift to the far corners.
pub fn layout(boxes: &[NodeBox], edges: &[(usize, usize, f64)], rank: &[usize]) -> Vec<(f64, f64)> {
    let n = boxes.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for &(a, b, _) in edges {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut part_of_root = vec![usize::MAX; n];
    let mut local = vec![0usize; n];
    for (i, slot) in local.iter_mut().enumerate() {
        let r = root(&mut parent, i);
        if part_of_root[r] == usize::MAX {
            part_of_root[r] = parts.len();
            parts.push(Vec::new());
        }
        *slot = parts[part_of_root[r]].len();
        parts[part_of_root[r]].push(i);
    }
    let mut part_edges: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); parts.len()];
    for &(a, b, w) in edges {
        part_edges[part_of_root[root(&mut parent, a)]].push((local[a], local[b], w));
    }
    // Lay out each part, and note its bounding box.
    type Placed = (Vec<(f64, f64)>, [f64; 4]);
    let mut placed: Vec<Placed> = parts
        .iter()
        .zip(&part_edges)
        .map(|(members, pe)| {
            let b: Vec<NodeBox> = members.iter().map(|&i| boxes[i]).collect();
            let mut order: Vec<usize> = (0..members.len()).collect();
            order.sort_by_key(|&k| rank[members[k]]);
            let mut r = vec![0; members.len()];
            for (pos, &k) in order.iter().enumerate() {
                r[k] = pos;
            }
            let p = force(&b, pe, &r);
            let mut bb = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for (q, nb) in p.iter().zip(&b) {
                bb[0] = bb[0].min(q.0 - nb.half_width);
                bb[1] = bb[1].min(q.1 - nb.above);
                bb[2] = bb[2].max(q.0 + nb.half_width);
                bb[3] = bb[3].max(q.1 + nb.below);
            }
            (p, bb)
        })
        .collect();
    // Shelf packing: biggest parts first, rows no wider than the widest
    // part or a square's side, whichever is more.
    let mut by_size: Vec<usize> = (0..parts.len()).collect();
    by_size.sort_by(|&a, &b| parts[b].len().cmp(&parts[a].len()).then(a.cmp(&b)));
    const PART_GAP: f64 = 30.0;
    let area: f64 = placed
        .iter()
        .map(|(_, bb)| (bb[2] - bb[0] + PART_GAP) * (bb[3] - bb[1] + PART_GAP))
        .sum();
    let widest = placed
        .iter()
        .map(|(_, bb)| bb[2] - bb[0])
        .fold(0.0, f64::max);
    let row_width = widest.max(area.sqrt() * 1.2);
    let (mut x, mut y, mut row_h) = (0.0f64, 0.0f64, 0.0f64);
    let mut pos = vec![(0.0, 0.0); n];
    for &p in &by_size {
        let (pts, bb) = &mut placed[p];
        let (w, h) = (bb[2] - bb[0], bb[3] - bb[1]);
        if x > 0.0 && x + w > row_width {
            x = 0.0;
            y += row_h + PART_GAP;
            row_h = 0.0;
        }
        for (k, &i) in parts[p].iter().enumerate() {
            pos[i] = (pts[k].0 - bb[0] + x, pts[k].1 - bb[1] + y);
        }
        x += w + PART_GAP;
        row_h = row_h.max(h);
    }
    pos
}

/// The force-directed layout of one connected part.
fn force(boxes: &[NodeBox], edges: &[(usize, usize, f64)], rank: &[usize]) -> Vec<(f64, f64)> {
    let n = boxes.len();
    const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let r = rank[i] as f64;
            let rad = K * 0.7 * (r + 0.5).sqrt();
            (
                rad * (r * GOLDEN_ANGLE).cos(),
                rad * (r * GOLDEN_ANGLE).sin(),
            )
        })
        .collect();
    let mut degree = vec![0.0f64; n];
    for &(a, b, _) in edges {
        degree[a] += 1.0;
        degree[b] += 1.0;
    }
    // O(n²) per step: fewer steps for big graphs keep the time bounded.
    let iterations = if n <= 300 {
        400
    } else {
        (400.0 * (300.0 * 300.0) / (n * n) as f64).max(40.0) as usize
    };
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for it in 0..iterations {
        let temperature = K * 2.0 * (1.0 - it as f64 / iterations as f64) + 1.0;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (mut dx, mut dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                if dx == 0.0 && dy == 0.0 {
                    // Coinciding nodes: part them in a fixed direction.
                    dx = 0.1 * (1.0 + (i % 7) as f64);
                    dy = 0.1 * (1.0 + (j % 5) as f64);
                }
                let d2 = (dx * dx + dy * dy).max(0.01);
                // Hubs push harder, as in ForceAtlas2, so that their
                // neighbourhoods get room.
                let mass = (1.0 + 0.5 * degree[i].sqrt()) * (1.0 + 0.5 * degree[j].sqrt());
                let f = K * K * mass / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b, w) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = d / K * (1.0 + w.ln().max(0.0) * 0.5);
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for i in 0..n {
            // Gravity towards the middle keeps loose parts close.
            let g = 0.6 * (1.0 + degree[i].sqrt());
            disp[i].0 -= pos[i].0 * g;
            disp[i].1 -= pos[i].1 * g;
            let (dx, dy) = disp[i];
            let len = (dx * dx + dy * dy).sqrt();
            if len > 0.0 {
                let step = len.min(temperature);
                pos[i].0 += dx / len * step;
                pos[i].1 += dy / len * step;
            }
        }
    }
    remove_overlaps(&mut pos, boxes);
    pos
}

/// Pushes apart nodes whose boxes overlap, along the axis that needs the
/// smaller move, until none overlap (or a bounded number of passes).
fn remove_overlaps(pos: &mut [(f64, f64)], boxes: &[NodeBox]) {
    const GAP: f64 = 4.0;
    let n = pos.len();
    for _ in 0..200 {
        let mut moved = false;
        for i in 0..n {
            for j in (i + 1)..n {
                let (a, b) = (boxes[i], boxes[j]);
                let dx = pos[j].0 - pos[i].0;
                let ox = a.half_width + b.half_width + GAP - dx.abs();
                if ox <= 0.0 {
                    continue;
                }
                // i's box spans [y - above, y + below]; so does j's.
                let (top_i, bottom_i) = (pos[i].1 - a.above, pos[i].1 + a.below);
                let (top_j, bottom_j) = (pos[j].1 - b.above, pos[j].1 + b.below);
                let oy = bottom_i.min(bottom_j) - top_i.max(top_j) + GAP;
                if oy <= 0.0 {
                    continue;
                }
                moved = true;
                if ox < oy {
                    let s = if dx > 0.0 || (dx == 0.0 && i < j) {
                        0.5
                    } else {
                        -0.5
                    };
                    pos[i].0 -= s * ox;
                    pos[j].0 += s * ox;
                } else {
                    let cy_i = (top_i + bottom_i) / 2.0;
                    let cy_j = (top_j + bottom_j) / 2.0;
                    let s = if cy_j > cy_i || (cy_j == cy_i && i < j) {
                        0.5
                    } else {
                        -0.5
                    };
                    pos[i].1 -= s * oy;
                    pos[j].1 += s * oy;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(n: usize) -> Vec<NodeBox> {
        vec![
            NodeBox {
                half_width: 30.0,
                above: 10.0,
                below: 25.0
            };
            n
        ]
    }

    #[test]
    fn no_two_boxes_overlap_and_layout_is_deterministic() {
        let n = 30;
        let edges: Vec<(usize, usize, f64)> =
            (1..n).map(|i| (0, i, 1.0)).chain([(1, 2, 3.0)]).collect();
        let rank: Vec<usize> = (0..n).collect();
        let a = layout(&boxes(n), &edges, &rank);
        let b = layout(&boxes(n), &edges, &rank);
        assert_eq!(a, b);
        for i in 0..n {
            for j in (i + 1)..n {
                let sep_x = (a[i].0 - a[j].0).abs() >= 60.0;
                let sep_y = (a[i].1 - a[j].1).abs() >= 35.0;
                assert!(sep_x || sep_y, "nodes {i} and {j} overlap");
            }
        }
    }

    #[test]
    fn connected_nodes_end_closer_than_unconnected_ones() {
        let n = 12;
        // Two triangles-plus: 0..6 densely linked, 6..12 densely linked.
        let mut edges = Vec::new();
        for g in [0, 6] {
            for i in g..g + 6 {
                for j in (i + 1)..g + 6 {
                    edges.push((i, j, 1.0));
                }
            }
        }
        let rank: Vec<usize> = (0..n).collect();
        let p = layout(&boxes(n), &edges, &rank);
        let dist =
            |a: usize, b: usize| ((p[a].0 - p[b].0).powi(2) + (p[a].1 - p[b].1).powi(2)).sqrt();
        let within: f64 = (1..6).map(|i| dist(0, i)).sum::<f64>() / 5.0;
        let across: f64 = (6..12).map(|i| dist(0, i)).sum::<f64>() / 6.0;
        assert!(within < across, "within {within} across {across}");
    }
}
