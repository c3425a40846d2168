// The observation plane: the field as a heatmap, the model manifold, the sampled latents and the data.
#pragma once

#include "colormaps.h"
#include "math/ellipse.h"
#include "math/grid.h"
#include "math/latents.h"

#include <QWidget>

#include <Eigen/Core>

#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPCurve;
class QCPGraph;

namespace ebm {

class ObservationPlane : public QWidget
{
    Q_OBJECT
public:
    explicit ObservationPlane(QWidget *parent = nullptr);

    //! Copies \a values (rows = y2, columns = y1 over \a grid) into the heatmap and queues a replot.
    void setField(const Grid &grid, const Eigen::MatrixXd &values, const QString &label);
    void setManifold(const EllipseParams &w, const LatentSpec &latents);
    void setData(const std::vector<Vec2> &points);
    void setColorMap(ColorMap map);
    //! Shows the rectangle [x0, x1] x [y0, y1] whole, with equal scales on both axes.
    void setView(double x0, double x1, double y0, double y1);

    //! What the heatmap currently displays at cell (i, j); for tests and the status bar.
    double displayedValue(int i, int j) const;
    QSize displayedGridSize() const;
    //! The rectangle the axes show (wider or taller than the view, to keep the aspect equal).
    QRectF visibleRange() const;
    QCustomPlot *plot() const { return m_plot; }

signals:
    //! The axes now show \a range: the field should be computed over all of it.
    void visibleRangeChanged(const QRectF &range);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyEqualAspect();

    QCustomPlot *m_plot;
    QCPColorMap *m_heatmap;
    QCPColorScale *m_colorScale;
    QCPCurve *m_manifold;
    QCPGraph *m_latentPoints;
    QCPGraph *m_dataPoints;
    double m_view[4] = {-3.0, 3.0, -3.0, 3.0};
    QRectF m_lastVisible;
};

} // namespace ebm
