//! Every style the dashboard draws with, in one place.
//!
//! Meaning is carried by modifiers (bold, dim, reversed) on the terminal's own colours (`Color::Reset`),
//! so the screen reads the same with `NO_COLOR`, on light and dark themes and in a monochrome SSH
//! session. Colour is only an accent added on top when allowed.

use ratatui::style::{Color, Modifier, Style};

/// How a piece of text should read, independent of how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Normal,
    /// Secondary or unavailable (greyed out).
    Dim,
    /// Needs attention (a suspended service, no licenses left).
    Warn,
    /// Something is wrong (admin permissions removed, an error).
    Bad,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// `color: false` draws with modifiers only.
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    /// Colour unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self::new(!no_color)
    }

    pub fn uses_color(self) -> bool {
        self.color
    }

    fn base() -> Style {
        Style::new().fg(Color::Reset).bg(Color::Reset)
    }

    fn accent(self, style: Style, color: Color) -> Style {
        if self.color { style.fg(color) } else { style }
    }

    /// The title bar: partner, cloud, agent, role.
    pub fn header(self) -> Style {
        Self::base().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn column_titles(self) -> Style {
        Self::base().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// The line under the cursor.
    pub fn selected(self) -> Style {
        Self::base().add_modifier(Modifier::REVERSED)
    }

    pub fn text(self) -> Style {
        Self::base()
    }

    /// A section label inside an expanded row.
    pub fn label(self) -> Style {
        Self::base().add_modifier(Modifier::BOLD)
    }

    /// A key name in the footer and the help.
    pub fn key(self) -> Style {
        self.accent(Self::base().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn tone(self, tone: Tone) -> Style {
        match tone {
            Tone::Normal => Self::base(),
            Tone::Dim => Self::base().add_modifier(Modifier::DIM),
            Tone::Warn => self.accent(Self::base().add_modifier(Modifier::BOLD), Color::Yellow),
            Tone::Bad => self.accent(Self::base().add_modifier(Modifier::BOLD), Color::Red),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::new(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_color_no_style_sets_a_colour_other_than_reset() {
        let theme = Theme::new(false);
        let styles = [
            theme.header(),
            theme.column_titles(),
            theme.selected(),
            theme.text(),
            theme.label(),
            theme.key(),
            theme.tone(Tone::Normal),
            theme.tone(Tone::Dim),
            theme.tone(Tone::Warn),
            theme.tone(Tone::Bad),
        ];
        for style in styles {
            assert!(matches!(style.fg, None | Some(Color::Reset)), "{style:?}");
            assert!(matches!(style.bg, None | Some(Color::Reset)), "{style:?}");
        }
    }

    #[test]
    fn bad_reads_differently_from_normal_without_color() {
        let theme = Theme::new(false);
        assert_ne!(theme.tone(Tone::Bad), theme.tone(Tone::Normal));
        assert_ne!(theme.tone(Tone::Dim), theme.tone(Tone::Normal));
    }
}
