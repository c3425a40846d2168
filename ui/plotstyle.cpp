#include "plotstyle.h"

#include "scatterlayer.h"

#include <qcustomplot.h>

#include <QLabel>

#include <cmath>

namespace ebm::plotstyle {

QFont font(int pointSize, bool bold)
{
    QFont f(QStringLiteral("DejaVu Sans"), pointSize);
    f.setBold(bold);
    return f;
}

void styleAxis(QCPAxis *axis, const QString &label)
{
    axis->setLabel(label);
    axis->setLabelFont(font(13));
    axis->setTickLabelFont(font(11));
}

void darkLegend(QCPLegend *legend)
{
    legend->setVisible(true);
    legend->setFont(font(11));
    legend->setTextColor(Qt::white);
    legend->setBrush(QColor(25, 25, 35, 200));
    legend->setBorderPen(Qt::NoPen);
}

namespace {

QFont scaled(QFont f, double factor)
{
    f.setPointSizeF(f.pointSizeF() * factor);
    return f;
}

QPen scaled(QPen pen, double factor)
{
    pen.setWidthF(std::max(1.0, pen.widthF()) * factor);
    return pen;
}

void scaleAxis(QCPAxis *axis, double factor)
{
    axis->setLabelFont(scaled(axis->labelFont(), factor));
    axis->setTickLabelFont(scaled(axis->tickLabelFont(), factor));
    axis->setBasePen(scaled(axis->basePen(), factor));
    axis->setTickPen(scaled(axis->tickPen(), factor));
    axis->setSubTickPen(scaled(axis->subTickPen(), factor));
}

void scalePlot(QCustomPlot *plot, double factor)
{
    for (QCPAxisRect *rect : plot->axisRects()) {
        for (QCPAxis *axis : rect->axes())
            scaleAxis(axis, factor);
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto *scale = qobject_cast<QCPColorScale *>(plot->plotLayout()->elementAt(i))) {
            scaleAxis(scale->axis(), factor);
            scale->setBarWidth(static_cast<int>(scale->barWidth() * factor));
        }
    }
    if (plot->legend) { // a plot may have removed its default legend
        plot->legend->setFont(scaled(plot->legend->font(), factor));
        plot->legend->setIconSize(plot->legend->iconSize() * factor);
    }
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot->plottable(i);
        p->setPen(scaled(p->pen(), factor));
        if (auto *graph = qobject_cast<QCPGraph *>(p)) {
            QCPScatterStyle style = graph->scatterStyle();
            style.setSize(style.size() * factor);
            style.setPen(scaled(style.pen(), factor));
            graph->setScatterStyle(style);
        }
        if (auto *layer = qobject_cast<ebm::ScatterLayer *>(p))
            layer->setScale(layer->scale() * factor);
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem *item = plot->item(i);
        if (auto *line = qobject_cast<QCPItemLine *>(item))
            line->setPen(scaled(line->pen(), factor));
        else if (auto *straight = qobject_cast<QCPItemStraightLine *>(item))
            straight->setPen(scaled(straight->pen(), factor));
        else if (auto *text = qobject_cast<QCPItemText *>(item))
            text->setFont(scaled(text->font(), factor));
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace

void scaleWidgetTree(QWidget *root, double factor)
{
    for (QCustomPlot *plot : root->findChildren<QCustomPlot *>())
        scalePlot(plot, factor);
    // Widgets with a font size of their own (read-outs, panels whose controls read at the plots' size) do not follow
    // the window's font; their children without one follow them.
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (!widget->testAttribute(Qt::WA_SetFont) || !(widget->font().resolveMask() & QFont::SizeResolved))
            continue;
        widget->setFont(scaled(widget->font(), factor));
        // Widths reserved for the widest text grow with it, so numbers are never cut off.
        if (qobject_cast<QLabel *>(widget) && widget->minimumWidth() > 0)
            widget->setMinimumWidth(static_cast<int>(std::ceil(widget->minimumWidth() * factor)));
    }
}

} // namespace ebm::plotstyle
