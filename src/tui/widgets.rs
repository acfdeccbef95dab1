//! Small pure widgets shared by the screens: they borrow what they show and draw it; no state, no I/O.

pub mod bars;
pub mod text;
pub mod too_small;
