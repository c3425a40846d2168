// Light and dark themes: the window palette and every plot's background, axes, grid, text and light legends.
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QWidget;

namespace ebm {

enum class Theme { Light, Dark };

//! The colours a theme gives the plots (the heatmap keeps its own colour map in both).
struct ThemeColors
{
    QColor window;     //!< panels and chrome
    QColor plot;       //!< plot and read-out background
    QColor text;       //!< axes, tick labels, read-outs
    QColor grid;       //!< grid lines (translucent text colour)
    QColor legendFill; //!< light legends (the plane's dark legend stays dark in both)
};

ThemeColors themeColors(Theme theme);
QPalette themePalette(Theme theme);
QString themeName(Theme theme);                           //!< "light" / "dark", as stored in the settings
Theme themeFromName(const QString &name, Theme fallback); //!< unknown names give \a fallback

//! \brief restyles \a root and every widget and plot under it from \a from to \a to (idempotent when equal)
//!
//! Colours the panels chose for meaning (the curves, the warm and cold markers, the heatmap) are kept; only the
//! colours that stand for "text on background" (black, white backgrounds, translucent grids) follow the theme.
void applyTheme(QWidget *root, Theme from, Theme to);

} // namespace ebm
