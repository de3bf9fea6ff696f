//! Charts for the dashboard as inline SVG: no JavaScript and no external asset, so a page with
//! a chart prints and reads offline like any other. Each chart carries a `<title>` (its
//! accessible name), a `<title>` on every bar with its label and value, the value written above
//! each column, and a visible legend. Heights are proportional to the values, on a scale from
//! zero to the largest column (or a scale the caller passes, so small charts side by side
//! compare).
//!
//! Pure functions of their input: the numbers come from the callers (see
//! [`crate::web::reports`]).

use std::fmt::Write;

use crate::report::esc;

/// Height of the plot area in pixels: a column of the scale's full value is this tall.
pub const PLOT_HEIGHT: f64 = 150.0;

/// Colours of the three risk levels (high, medium, stable), with enough contrast on white.
pub const RISK_COLOURS: [&str; 3] = ["#b2182b", "#e08214", "#1a7f4e"];

/// Colour of a single series.
pub const BAR_COLOUR: &str = "#1f4e3d";

const TOP: f64 = 44.0; // the legend, then room for the values above the columns
const LEFT: f64 = 8.0;
const LABEL_ROOM: f64 = 22.0; // below the axis, for the column labels
const CHAR_WIDTH: f64 = 7.0; // a 12px sans-serif character, roughly

/// The width of one column's slot: room for its label, at least 44 pixels.
fn slot_width(labels: impl Iterator<Item = usize>) -> f64 {
    let longest = labels.max().unwrap_or(0);
    f64::from(u32::try_from(longest).unwrap_or(u32::MAX))
        .mul_add(CHAR_WIDTH, 10.0)
        .max(44.0)
}

fn height_of(value: u32, scale: u32) -> f64 {
    if scale == 0 {
        0.0
    } else {
        PLOT_HEIGHT * f64::from(value) / f64::from(scale)
    }
}

/// The width one legend entry takes: a swatch, a gap, its label.
fn legend_entry(label: &str) -> f64 {
    f64::from(u32::try_from(label.chars().count()).unwrap_or(u32::MAX)).mul_add(CHAR_WIDTH, 32.0)
}

/// The width the whole legend needs, margins included.
fn legend_width(legend: &[(&str, &str)]) -> f64 {
    legend.iter().map(|(_, l)| legend_entry(l)).sum::<f64>() + 2.0 * LEFT
}

/// The opening of a chart: the element, its title and the legend.
fn open(out: &mut String, title: &str, width: f64, legend: &[(&str, &str)]) {
    let height = TOP + PLOT_HEIGHT + LABEL_ROOM;
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"sans-serif\" font-size=\"12\"><title>{}</title><g class=\"legend\">",
        esc(title)
    );
    let mut x = LEFT;
    for (colour, label) in legend {
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"14\">{}</text>",
            esc(colour),
            x + 16.0,
            esc(label)
        );
        x += legend_entry(label);
    }
    let _ = write!(
        out,
        "</g><line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#555\"/>",
        width - LEFT,
        y = TOP + PLOT_HEIGHT
    );
}

fn empty(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"240\" height=\"40\" viewBox=\"0 0 240 40\" font-family=\"sans-serif\" font-size=\"12\"><title>{t}</title><text x=\"{LEFT}\" y=\"24\">{t}: nothing to show.</text></svg>",
        t = esc(title)
    )
}

/// A column's label under the axis and its total above the column.
fn label_and_total(out: &mut String, centre: f64, label: &str, total: u32, top: f64) {
    let _ = write!(
        out,
        "<text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{total}</text><text x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        top - 4.0,
        TOP + PLOT_HEIGHT + 16.0,
        esc(label)
    );
}

/// Columns of `N` stacked parts, one column per row, bottom part first: cases by risk per
/// district (`labels` high, medium, stable, with [`RISK_COLOURS`]). Each part's `<title>`
/// says the row, the part and its count. An empty `rows` gives a chart that says there is
/// nothing to show.
pub fn stacked_bars<const N: usize>(
    title: &str,
    rows: &[(String, [u32; N])],
    colours: [&str; N],
    labels: [&str; N],
) -> String {
    if rows.is_empty() {
        return empty(title);
    }
    let scale = rows
        .iter()
        .map(|(_, parts)| parts.iter().sum::<u32>())
        .max()
        .unwrap_or(0);
    let slot = slot_width(rows.iter().map(|(l, _)| l.chars().count()));
    let legend: Vec<(&str, &str)> = colours.iter().copied().zip(labels).collect();
    let width = f64::from(u32::try_from(rows.len()).unwrap_or(u32::MAX))
        .mul_add(slot, 2.0 * LEFT)
        .max(legend_width(&legend));
    let mut out = String::new();
    open(&mut out, title, width, &legend);
    for (i, (label, parts)) in rows.iter().enumerate() {
        let x = f64::from(u32::try_from(i).unwrap_or(u32::MAX)).mul_add(slot, LEFT);
        let bar = slot * 0.6;
        let bar_x = x + (slot - bar) / 2.0;
        let mut y = TOP + PLOT_HEIGHT;
        for ((value, colour), part) in parts.iter().zip(colours).zip(labels) {
            let h = height_of(*value, scale);
            y -= h;
            if *value > 0 {
                let _ = write!(
                    out,
                    "<rect x=\"{bar_x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}, {}: {value}</title></rect>",
                    esc(colour),
                    esc(label),
                    esc(part)
                );
            }
        }
        label_and_total(&mut out, x + slot / 2.0, label, parts.iter().sum(), y);
    }
    out.push_str("</svg>");
    out
}

/// Single columns, one per value, in `BAR_COLOUR`, with `series` as the legend (what a column
/// counts). The scale runs to the largest value, or to `scale` when given (and larger), so
/// several small charts can share one. An empty `values` gives a chart that says there is
/// nothing to show.
pub fn bars(title: &str, series: &str, values: &[(String, u32)], scale: Option<u32>) -> String {
    if values.is_empty() {
        return empty(title);
    }
    let largest = values.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let scale = scale.map_or(largest, |s| s.max(largest));
    let slot = slot_width(values.iter().map(|(l, _)| l.chars().count()));
    let legend = [(BAR_COLOUR, series)];
    let width = f64::from(u32::try_from(values.len()).unwrap_or(u32::MAX))
        .mul_add(slot, 2.0 * LEFT)
        .max(legend_width(&legend));
    let mut out = String::new();
    open(&mut out, title, width, &legend);
    for (i, (label, value)) in values.iter().enumerate() {
        let x = f64::from(u32::try_from(i).unwrap_or(u32::MAX)).mul_add(slot, LEFT);
        let bar = slot * 0.6;
        let h = height_of(*value, scale);
        let y = TOP + PLOT_HEIGHT - h;
        if *value > 0 {
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{BAR_COLOUR}\"><title>{}: {value} {}</title></rect>",
                x + (slot - bar) / 2.0,
                esc(label),
                esc(series)
            );
        }
        label_and_total(&mut out, x + slot / 2.0, label, *value, y);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heights of the chart's bars, in order.
    fn heights(svg: &str) -> Vec<f64> {
        svg.split("<rect ")
            .skip(1)
            .filter(|r| !r.contains("width=\"12\" height=\"12\"")) // the legend's swatches
            .map(|r| {
                let h = r
                    .split("height=\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .expect("a height");
                h.parse().expect("a number")
            })
            .collect()
    }

    #[test]
    fn bar_heights_are_proportional_to_the_values() {
        let svg = bars(
            "Visits",
            "visits",
            &[
                ("a".into(), 10),
                ("b".into(), 5),
                ("c".into(), 0),
                ("d".into(), 2),
            ],
            None,
        );
        assert_eq!(
            heights(&svg),
            vec![PLOT_HEIGHT, PLOT_HEIGHT / 2.0, PLOT_HEIGHT / 5.0],
            "the largest value fills the plot; a zero draws no bar: {svg}"
        );
        assert!(svg.contains("<title>Visits</title>"), "the chart's name");
        assert!(
            svg.contains("<title>b: 5 visits</title>"),
            "each bar's value"
        );
        assert!(svg.contains(">visits</text>"), "a visible legend");
        let shared = bars("Visits", "visits", &[("a".into(), 5)], Some(10));
        assert_eq!(
            heights(&shared),
            vec![PLOT_HEIGHT / 2.0],
            "a shared scale halves a value of half of it"
        );
    }

    #[test]
    fn stacked_parts_are_proportional_and_each_part_is_titled() {
        let svg = stacked_bars(
            "Cases by risk",
            &[("Gaya".into(), [2, 4, 4]), ("Nalanda".into(), [5, 0, 0])],
            RISK_COLOURS,
            ["high", "medium", "stable"],
        );
        let h = heights(&svg);
        let step = PLOT_HEIGHT / 10.0;
        assert_eq!(h, vec![2.0 * step, 4.0 * step, 4.0 * step, 5.0 * step]);
        assert!(svg.contains("<title>Gaya, medium: 4</title>"));
        assert!(
            !svg.contains("Nalanda, medium"),
            "an empty part draws nothing"
        );
        for word in ["high", "medium", "stable"] {
            assert!(svg.contains(&format!(">{word}</text>")), "legend: {word}");
        }
        assert!(svg.contains(">10</text>"), "the column's total is written");
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let svg = bars(
            "<script>alert(1)</script>",
            "a \"b\" & c",
            &[("<b>x</b>".into(), 1)],
            None,
        );
        assert!(!svg.contains("<script>") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(svg.contains("a &quot;b&quot; &amp; c"));
        let stacked = stacked_bars("t", &[("<i>".into(), [1])], ["\"><x"], ["&"]);
        assert!(
            !stacked.contains("<i>") && !stacked.contains("\"><x"),
            "{stacked}"
        );
    }

    #[test]
    fn empty_and_all_zero_input_draw_no_bar_and_divide_by_nothing() {
        for svg in [
            bars("Visits", "visits", &[], None),
            stacked_bars::<3>("Risk", &[], RISK_COLOURS, ["h", "m", "s"]),
        ] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains("nothing to show"), "{svg}");
            assert!(heights(&svg).is_empty());
        }
        let zeros = bars("Visits", "visits", &[("a".into(), 0)], None);
        assert!(
            heights(&zeros).is_empty() && !zeros.contains("NaN"),
            "{zeros}"
        );
        let zeros = stacked_bars(
            "Risk",
            &[("a".into(), [0, 0])],
            ["#000", "#fff"],
            ["x", "y"],
        );
        assert!(
            heights(&zeros).is_empty() && !zeros.contains("NaN"),
            "{zeros}"
        );
    }
}
