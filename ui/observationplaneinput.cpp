// The observation plane's input: dragging the handle or the section line, cursor read-out, arrow keys.
// (Pan and zoom are QCustomPlot's own; a press on the handle switches its range drag off for that drag.)
#include "observationplane.h"

#include "familyoverlay.h"

#include <qcustomplot.h>

#include <QKeyEvent>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

constexpr double kHandleGrabPixels = 18.0;
constexpr double kSectionGrabPixels = 8.0;

} // namespace

void ObservationPlane::keyPressEvent(QKeyEvent *event)
{
    const double step = event->modifiers() & Qt::ShiftModifier ? 0.01 : 0.05;
    Vec2 delta = Vec2::Zero();
    switch (event->key()) {
    case Qt::Key_Left:
        delta = {-step, 0.0};
        break;
    case Qt::Key_Right:
        delta = {step, 0.0};
        break;
    case Qt::Key_Up:
        delta = {0.0, step};
        break;
    case Qt::Key_Down:
        delta = {0.0, -step};
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    m_observation += delta;
    updateObservationItems();
    replot(Part::Figures);
    emit observationDragged(m_observation);
}

void ObservationPlane::onMousePress(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const QPointF pos = event->position();
    const QPointF handle = toPixels(m_observation);
    // The grab radius follows the handle's size, which presentation mode enlarges.
    const double grab = std::max(kHandleGrabPixels, 0.8 * m_handle->scatterStyle().size());
    if (m_layers.observation && QLineF(pos, handle).length() <= grab) {
        m_drag = Drag::Observation;
    } else if (const int k = m_family->centroidAt(pos, std::max(kHandleGrabPixels, 0.6 * m_family->centroidDiameter()));
               k >= 0) {
        m_drag = Drag::Centroid;
        m_dragCentroid = k;
        emit centroidDragStarted(k);
    } else if (m_layers.section && std::abs(pos.x() - m_plot->xAxis->coordToPixel(m_sectionY1)) <= kSectionGrabPixels)
        m_drag = Drag::Section;
    // Decided here, before the axis rect sees the press: a drag of the handle must not also pan the view.
    m_plot->setInteraction(QCP::iRangeDrag, m_drag == Drag::None);
}

void ObservationPlane::onMouseMove(QMouseEvent *event)
{
    const Vec2 y = toPlane(event->position());
    if (m_drag == Drag::Observation) {
        m_observation = y;
        updateObservationItems();
        replot();
        emit observationDragged(y);
    } else if (m_drag == Drag::Section) {
        setSectionY1(y.x());
        emit sectionDragged(y.x());
    } else if (m_drag == Drag::Centroid) {
        emit centroidDragged(m_dragCentroid, y);
    }
    int i = 0, j = 0;
    m_heatmap->data()->coordToCell(y.x(), y.y(), &i, &j);
    const QSize size = displayedGridSize();
    const bool inside = i >= 0 && j >= 0 && i < size.width() && j < size.height() &&
                        m_heatmap->data()->keyRange().contains(y.x()) &&
                        m_heatmap->data()->valueRange().contains(y.y());
    emit cursorMoved(y, inside ? displayedValue(i, j) : std::nan(""));
}

void ObservationPlane::onMouseRelease(QMouseEvent *event)
{
    // Where the button came up counts too: the last motion events of a fast drag may have been merged away.
    if (m_drag != Drag::None)
        onMouseMove(event);
    if (m_drag == Drag::Centroid)
        emit centroidDragFinished(m_dragCentroid);
    m_drag = Drag::None;
    m_plot->setInteraction(QCP::iRangeDrag, true);
}

} // namespace ebm
