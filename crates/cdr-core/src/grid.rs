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

/// A key of the ARIA grid keyboard pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridKey {
    /// One row up.
    Up,
    /// One row down.
    Down,
    /// One cell left.
    Left,
    /// One cell right.
    Right,
    /// A page of rows up.
    PageUp,
    /// A page of rows down.
    PageDown,
    /// The first cell of the row.
    Home,
    /// The last cell of the row.
    End,
    /// The first cell of the first row (Ctrl+Home).
    First,
    /// The last cell of the last row (Ctrl+End).
    Last,
}

impl GridKey {
    /// The grid key of a `KeyboardEvent.key`, with Ctrl (or ⌘) held or not.
    pub fn from_key(key: &str, ctrl: bool) -> Option<GridKey> {
        Some(match (key, ctrl) {
            ("ArrowUp", _) => GridKey::Up,
            ("ArrowDown", _) => GridKey::Down,
            ("ArrowLeft", _) => GridKey::Left,
            ("ArrowRight", _) => GridKey::Right,
            ("PageUp", _) => GridKey::PageUp,
            ("PageDown", _) => GridKey::PageDown,
            ("Home", false) => GridKey::Home,
            ("End", false) => GridKey::End,
            ("Home", true) => GridKey::First,
            ("End", true) => GridKey::Last,
            _ => return None,
        })
    }
}

/// The active cell of a grid: a row of the view and a visible column, both from 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GridCursor {
    /// The row's position in the view.
    pub row: usize,
    /// The column's position among the visible columns.
    pub col: usize,
}

impl GridCursor {
    /// Where `key` moves the cursor in a grid of `rows` by `cols` cells whose viewport shows
    /// `page` rows; it stays inside the grid (and at 0, 0 in an empty one).
    pub fn moved(self, key: GridKey, rows: usize, cols: usize, page: usize) -> GridCursor {
        let (last_row, last_col) = (rows.saturating_sub(1), cols.saturating_sub(1));
        let (row, col) = (self.row.min(last_row), self.col.min(last_col));
        let (row, col) = match key {
            GridKey::Up => (row.saturating_sub(1), col),
            GridKey::Down => (row.saturating_add(1), col),
            GridKey::Left => (row, col.saturating_sub(1)),
            GridKey::Right => (row, col.saturating_add(1)),
            GridKey::PageUp => (row.saturating_sub(page.max(1)), col),
            GridKey::PageDown => (row.saturating_add(page.max(1)), col),
            GridKey::Home => (row, 0),
            GridKey::End => (row, last_col),
            GridKey::First => (0, 0),
            GridKey::Last => (last_row, last_col),
        };
        GridCursor {
            row: row.min(last_row),
            col: col.min(last_col),
        }
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

    #[test]
    fn the_cursor_follows_the_aria_grid_keys_and_stays_inside() {
        let at = |row, col| GridCursor { row, col };
        let key = |k: &str, ctrl| GridKey::from_key(k, ctrl).unwrap();
        let (rows, cols, page) = (100, 5, 10);
        let go = |c: GridCursor, k: &str, ctrl| c.moved(key(k, ctrl), rows, cols, page);
        assert_eq!(go(at(0, 0), "ArrowDown", false), at(1, 0));
        assert_eq!(go(at(0, 0), "ArrowUp", false), at(0, 0));
        assert_eq!(go(at(3, 4), "ArrowRight", false), at(3, 4));
        assert_eq!(go(at(3, 4), "ArrowLeft", false), at(3, 3));
        assert_eq!(go(at(95, 2), "PageDown", false), at(99, 2));
        assert_eq!(go(at(5, 2), "PageUp", false), at(0, 2));
        assert_eq!(go(at(7, 2), "Home", false), at(7, 0));
        assert_eq!(go(at(7, 2), "End", false), at(7, 4));
        assert_eq!(go(at(7, 2), "Home", true), at(0, 0));
        assert_eq!(go(at(7, 2), "End", true), at(99, 4));
        // A view that shrank (a quick filter) or lost columns pulls the cursor back in.
        assert_eq!(at(50, 9).moved(GridKey::Down, 10, 3, 4), at(9, 2));
        assert_eq!(at(3, 3).moved(GridKey::Last, 0, 0, 4), at(0, 0));
        assert_eq!(GridKey::from_key("Enter", false), None);
    }
}
