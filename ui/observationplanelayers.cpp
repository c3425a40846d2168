// The observation plane's repaints. A new field and a moved figure are the two changes that come many times a
// second (a beta scrub, a drag, a training run), and each needs only part of the picture drawn again: the heatmap
// with what is computed from the field (contours, the margin level, -grad F arrows, the colour bar's ticks) lives
// on a buffered layer of its own, the figures over it (manifold, latents, data, training arrows, handle) on
// another. Anything else (view, layout, size, colour map, shown layers) redraws the whole plot.
#include "observationplane.h"

#include "repaintpacer.h"

#include <qcustomplot.h>

#include <utility>

namespace ebm {

void ObservationPlane::setUpLayers()
{
    QCPLayer *main = m_plot->layer(QStringLiteral("main"));
    m_plot->addLayer(QStringLiteral("field"), main, QCustomPlot::limBelow);
    m_fieldLayer = m_plot->layer(QStringLiteral("field"));
    m_figureLayer = main;
    m_fieldLayer->setMode(QCPLayer::lmBuffered);
    m_figureLayer->setMode(QCPLayer::lmBuffered);
    // The overlay (QCustomPlot's selection rectangle, unused here) shares the axes' buffer: each buffer is a
    // plot-sized image composed at every paint.
    m_plot->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);
    m_heatmap->setLayer(m_fieldLayer);
    m_colorScale->axis()->setLayer(m_fieldLayer); // its ticks follow the field's range
    m_contours->setLayer(m_fieldLayer);
    m_marginLine->setLayer(m_fieldLayer);
    // A full replot draws every part: nothing is left to do for a pending partial one.
    connect(m_plot, &QCustomPlot::afterReplot, this, [this] {
        m_dirty = 0;
        ++m_fullReplots;
        emit redrawn();
    });
}

void ObservationPlane::replot(Part part)
{
    m_dirty |= static_cast<int>(part); // many changes per event collapse into one repaint
    RepaintPacer::instance().schedule(this, [this] { flushReplot(); });
}

void ObservationPlane::flushReplot()
{
    const int parts = std::exchange(m_dirty, 0);
    if (parts == 0)
        return;
    if (parts & static_cast<int>(Part::All)) {
        m_plot->replot();
        return;
    }
    const quint64 fullBefore = m_fullReplots;
    if (parts & static_cast<int>(Part::Field)) {
        // The colour bar's ticks and label are laid out for the new field, as a full replot would (and with what
        // follows a layout: the bar's margin, the equal-aspect refit). If that moved anything, all of it is drawn.
        const QRect plane = m_plot->axisRect()->rect(), bar = m_colorScale->outerRect();
        for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout})
            m_plot->plotLayout()->update(phase);
        onLayout();
        if ((m_dirty & static_cast<int>(Part::All)) || m_plot->axisRect()->rect() != plane ||
            m_colorScale->outerRect() != bar) {
            m_plot->replot();
            return;
        }
        m_fieldLayer->replot(); // a full replot instead when the buffers are not ready (first show, resize)
    }
    if ((parts & static_cast<int>(Part::Figures)) && m_fullReplots == fullBefore)
        m_figureLayer->replot();
    if (m_fullReplots == fullBefore)
        emit redrawn();
}

} // namespace ebm
