#include "theme.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QWidget>

#include <optional>

namespace ebm {

namespace {

// Colours match on RGB alone: a panel may draw its text colour translucent (grids) and keep that alpha.
bool sameRgb(const QColor &a, const QColor &b)
{
    return a.rgb() == b.rgb();
}

// Lines and text map the text colour only: white lines on the heatmap (the manifold, arrows) mean "on the field",
// not "background", and stay white. Fills also map the background colour.
QColor mapped(const QColor &c, const ThemeColors &from, const ThemeColors &to, bool isFill = false)
{
    QColor out = c;
    if (sameRgb(c, from.text))
        out = to.text;
    else if (isFill && sameRgb(c, from.plot))
        out = to.plot;
    else
        return c;
    out.setAlpha(c.alpha());
    return out;
}

QPen mapped(QPen pen, const ThemeColors &from, const ThemeColors &to)
{
    pen.setColor(mapped(pen.color(), from, to));
    return pen;
}

QBrush mapped(QBrush brush, const ThemeColors &from, const ThemeColors &to)
{
    if (brush.style() == Qt::SolidPattern)
        brush.setColor(mapped(brush.color(), from, to, true));
    return brush;
}

void restyleAxis(QCPAxis *axis, const ThemeColors &from, const ThemeColors &to)
{
    axis->setBasePen(mapped(axis->basePen(), from, to));
    axis->setTickPen(mapped(axis->tickPen(), from, to));
    axis->setSubTickPen(mapped(axis->subTickPen(), from, to));
    axis->setTickLabelColor(mapped(axis->tickLabelColor(), from, to));
    axis->setLabelColor(mapped(axis->labelColor(), from, to));
    axis->grid()->setPen(mapped(axis->grid()->pen(), from, to));
    axis->grid()->setSubGridPen(mapped(axis->grid()->subGridPen(), from, to));
    axis->grid()->setZeroLinePen(mapped(axis->grid()->zeroLinePen(), from, to));
}

void restylePlot(QCustomPlot *plot, const ThemeColors &from, const ThemeColors &to)
{
    plot->setBackground(to.plot);
    for (QCPAxisRect *rect : plot->axisRects()) {
        for (QCPAxis *axis : rect->axes())
            restyleAxis(axis, from, to);
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto *scale = qobject_cast<QCPColorScale *>(plot->plotLayout()->elementAt(i)))
            restyleAxis(scale->axis(), from, to);
    }
    // A light legend follows the theme; the plane's dark legend (white text) reads on both and stays.
    if (plot->legend && !sameRgb(plot->legend->textColor(), Qt::white)) {
        plot->legend->setTextColor(mapped(plot->legend->textColor(), from, to));
        QColor fill = plot->legend->brush().color();
        QColor target = to.legendFill;
        target.setAlpha(fill.alpha());
        plot->legend->setBrush(target);
        plot->legend->setBorderPen(mapped(plot->legend->borderPen(), from, to));
    }
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot->plottable(i);
        p->setPen(mapped(p->pen(), from, to));
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem *item = plot->item(i);
        if (auto *text = qobject_cast<QCPItemText *>(item)) {
            text->setColor(mapped(text->color(), from, to));
            text->setBrush(mapped(text->brush(), from, to));
            text->setPen(mapped(text->pen(), from, to));
        } else if (auto *line = qobject_cast<QCPItemLine *>(item)) {
            line->setPen(mapped(line->pen(), from, to));
        } else if (auto *straight = qobject_cast<QCPItemStraightLine *>(item)) {
            straight->setPen(mapped(straight->pen(), from, to));
        }
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

// Widgets that set their own palette (white panels, coloured read-outs) keep their meaning colours.
void restyleWidget(QWidget *widget, const ThemeColors &from, const ThemeColors &to)
{
    if (!widget->testAttribute(Qt::WA_SetPalette))
        return;
    QPalette palette = widget->palette();
    // Only the colours the widget set itself: inherited ones come from the application palette.
    for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        for (QPalette::ColorRole role : {QPalette::Window, QPalette::WindowText, QPalette::Base, QPalette::Text}) {
            const QColor c = palette.color(group, role);
            if (palette.isBrushSet(group, role) && (sameRgb(c, from.text) || sameRgb(c, from.plot)))
                palette.setColor(group, role, mapped(c, from, to, true));
        }
    }
    widget->setPalette(palette);
}

} // namespace

ThemeColors themeColors(Theme theme)
{
    if (theme == Theme::Dark)
        return {QColor(0x2b, 0x2d, 0x33), QColor(0x1b, 0x1c, 0x21), QColor(0xe8, 0xe8, 0xec), QColor(255, 255, 255, 40),
                QColor(0x2b, 0x2d, 0x33)};
    return {QColor(0xef, 0xef, 0xef), QColor(Qt::white), QColor(Qt::black), QColor(0, 0, 0, 40), QColor(Qt::white)};
}

// Light is the palette the application started with (the platform's, which differs from the style's standard one
// in details such as disabled text); it is kept the first time the theme leaves it.
std::optional<QPalette> &startPalette()
{
    static std::optional<QPalette> palette;
    return palette;
}

QPalette themePalette(Theme theme)
{
    if (theme == Theme::Light)
        return startPalette().value_or(QApplication::palette());
    const ThemeColors c = themeColors(theme);
    QPalette p;
    p.setColor(QPalette::Window, c.window);
    p.setColor(QPalette::WindowText, c.text);
    p.setColor(QPalette::Base, c.plot);
    p.setColor(QPalette::AlternateBase, c.window);
    p.setColor(QPalette::ToolTipBase, c.window);
    p.setColor(QPalette::ToolTipText, c.text);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x98));
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3e));
    p.setColor(QPalette::ButtonText, c.text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4c, 0x55));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x40, 0x48));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x2b));
    p.setColor(QPalette::Dark, QColor(0x16, 0x17, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xfd));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x88));
    return p;
}

QString themeName(Theme theme)
{
    return theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("light");
}

Theme themeFromName(const QString &name, Theme fallback)
{
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    if (name == QLatin1String("light"))
        return Theme::Light;
    return fallback;
}

void applyTheme(QWidget *root, Theme from, Theme to)
{
    const ThemeColors a = themeColors(from);
    const ThemeColors b = themeColors(to);
    if (from == Theme::Light && !startPalette())
        startPalette() = QApplication::palette();
    // The application palette reaches dialogs and menus opened later, too.
    QApplication::setPalette(themePalette(to));
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *widget : widgets)
        restyleWidget(widget, a, b);
    for (QCustomPlot *plot : root->findChildren<QCustomPlot *>())
        restylePlot(plot, a, b);
}

} // namespace ebm
