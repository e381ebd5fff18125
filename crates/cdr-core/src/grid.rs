//! The arithmetic of a windowed grid: which rows are in the DOM for a scroll position.
//!
//! Browsers cap an element's height near 16.7 million pixels (Chromium; Firefox lower), so
//! a million 32-pixel rows cannot sit in one tall spacer. Past [`MAX_SPACER_PX`] the spacer
//! stays at that height and scroll positions are scaled onto row positions, so the scroll bar
//! still reaches every row from the first to the last.

/// The tallest spacer used; safely under every browser's limit.
pub const MAX_SPACER_PX: f64 = 8_000_000.0;

/// The rows to render for one scroll position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridWindow {
    /// Height of the element that gives the scroll bar its range.
    pub spacer_px: f64,
    /// Position (in the view) of the first rendered row.
    pub first: usize,
    /// How many rows to render.
    pub count: usize,
    /// Where the first rendered row's top goes, from the top of the spacer.
    pub top_px: f64,
}

/// Rows, row height and viewport of a grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridGeometry {
    /// Rows in the view.
    pub rows: usize,
    /// Height of one row, in pixels (fixed).
    pub row_px: f64,
    /// Height of the scrolling viewport, in pixels.
    pub viewport_px: f64,
}

impl GridGeometry {
    fn content_px(&self) -> f64 {
        self.rows as f64 * self.row_px
    }

    /// Height of the spacer: the content's, or the cap.
    pub fn spacer_px(&self) -> f64 {
        self.content_px().min(MAX_SPACER_PX)
    }

    /// Content pixels per spacer pixel of scrolling (1 until the cap is reached).
    fn scale(&self) -> f64 {
        let scrollable = self.spacer_px() - self.viewport_px;
        if scrollable <= 0.0 {
            1.0
        } else {
            ((self.content_px() - self.viewport_px) / scrollable).max(1.0)
        }
    }

    /// The rows to render at `scroll_top`, with one extra row below for partial rows.
    pub fn window(&self, scroll_top: f64) -> GridWindow {
        let spacer_px = self.spacer_px();
        let max_scroll = (spacer_px - self.viewport_px).max(0.0);
        // Not `f64::clamp`: its NaN assertion formats floats, 5 KB of the browser bundle.
        let scroll_top = scroll_top.max(0.0).min(max_scroll);
        let virtual_top = scroll_top * self.scale();
        let first = ((virtual_top / self.row_px).floor() as usize).min(self.rows);
        let visible = (self.viewport_px / self.row_px).ceil() as usize + 1;
        let count = visible.min(self.rows - first);
        // Shift the block so the row under the viewport's top edge shows as much of itself as
        // the virtual position says, whether or not scrolling is scaled.
        let top_px = scroll_top - (virtual_top - first as f64 * self.row_px);
        GridWindow {
            spacer_px,
            first,
            count,
            top_px: top_px.max(0.0),
        }
    }

    /// The scroll position that brings `row` fully into view, given the current one; the
    /// current position when it already is.
    pub fn scroll_to_row(&self, row: usize, scroll_top: f64) -> f64 {
        let scale = self.scale();
        let row_top = row as f64 * self.row_px;
        let virtual_top = scroll_top * scale;
        let target = if row_top < virtual_top {
            row_top
        } else if row_top + self.row_px > virtual_top + self.viewport_px {
            row_top + self.row_px - self.viewport_px
        } else {
            return scroll_top;
        };
        let max_scroll = (self.spacer_px() - self.viewport_px).max(0.0);
        (target / scale).max(0.0).min(max_scroll)
    }

    /// Rows in one page of the viewport (for Page Up / Page Down).
    pub fn page_rows(&self) -> usize {
        ((self.viewport_px / self.row_px).floor() as usize).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geo(rows: usize) -> GridGeometry {
        GridGeometry {
            rows,
            row_px: 32.0,
            viewport_px: 640.0,
        }
    }

    #[test]
    fn a_small_view_scrolls_one_to_one() {
        let g = geo(1000);
        assert_eq!(g.spacer_px(), 32_000.0);
        let w = g.window(0.0);
        assert_eq!((w.first, w.count, w.top_px), (0, 21, 0.0));
        let w = g.window(3216.0);
        assert_eq!((w.first, w.top_px), (100, 3200.0));
        // The last position shows the last row.
        let w = g.window(1e9);
        assert_eq!(w.first + w.count, 1000);
    }

    #[test]
    fn a_million_rows_fit_under_the_cap_and_reach_both_ends() {
        let g = geo(1_000_000);
        assert_eq!(g.spacer_px(), MAX_SPACER_PX);
        let top = g.window(0.0);
        assert_eq!(top.first, 0);
        let bottom = g.window(MAX_SPACER_PX - 640.0);
        assert_eq!(bottom.first + bottom.count, 1_000_000);
        // The rendered block always covers the viewport.
        for st in [0.0, 1234.5, 4_000_000.0, MAX_SPACER_PX - 640.0] {
            let w = g.window(st);
            assert!(
                w.top_px <= st + 0.001,
                "block starts below the viewport at {st}"
            );
            assert!(w.top_px + w.count as f64 * 32.0 >= st + 640.0 - 0.001);
        }
        let middle = g.window((MAX_SPACER_PX - 640.0) / 2.0);
        assert!(
            (middle.first as i64 - 499_990).abs() < 20,
            "{}",
            middle.first
        );
    }

    #[test]
    fn empty_and_short_views_render_what_there_is() {
        assert_eq!(geo(0).window(0.0).count, 0);
        let w = geo(3).window(50.0);
        assert_eq!((w.first, w.count, w.top_px), (0, 3, 0.0));
    }

    #[test]
    fn scrolling_to_a_row_brings_it_into_view_in_both_modes() {
        for rows in [1000, 1_000_000] {
            let g = geo(rows);
            for target in [0, 5, 500, rows / 2, rows - 1] {
                let st = g.scroll_to_row(target, 0.0);
                let w = g.window(st);
                assert!(
                    (w.first..w.first + w.count).contains(&target),
                    "row {target} of {rows} not rendered"
                );
                let y = w.top_px + (target - w.first) as f64 * 32.0;
                assert!(
                    y >= st - 0.5 && y + 32.0 <= st + 640.0 + 0.5,
                    "row {target} of {rows} cut"
                );
            }
            // Already visible: nothing moves.
            assert_eq!(g.scroll_to_row(3, 0.0), 0.0);
        }
        assert_eq!(geo(100).page_rows(), 20);
    }
}
