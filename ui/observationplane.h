// The observation plane: the field as a heatmap, the manifold, the latents, the data, the observation handle
// that the mouse drags, -grad F arrows and the section line. It draws what it is given and computes nothing.
#pragma once

#include "colormaps.h"
#include "familypicture.h"
#include "labstate.h"
#include "math/contours.h"
#include "math/field.h"
#include "math/grid.h"

#include <QWidget>

#include <Eigen/Core>

#include <memory>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPCurve;
class QCPGraph;
class QCPItemLine;
class QCPItemStraightLine;
class QCPLayer;

namespace ebm {

class FamilyOverlay;
class ScatterLayer;

struct PlaneArrow
{
    Vec2 from = Vec2::Zero();
    Vec2 to = Vec2::Zero();
};

class ObservationPlane : public QWidget
{
    Q_OBJECT
public:
    explicit ObservationPlane(QWidget *parent = nullptr);
    ~ObservationPlane() override; // FamilyOverlay is complete only in the .cpp

    //! Copies \a values (rows = y2, columns = y1 over \a grid) into the heatmap and queues a replot.
    void setField(const Grid &grid, const Eigen::MatrixXd &values, const QString &label);
    //! The manifold, the sampled latents (sized by P(z|y) when \a byPosterior), the handle and its segment.
    void setModelPicture(const EllipseEbm &model, const Vec2 &observation, double beta, bool byPosterior);
    //! K-means or sparse coding (issue #7): their centroids / atoms, coloured data, FISTA path, and the segment from
    //! y to Dec(z_check); the ellipse's manifold and latents are hidden. A picture of kind Ellipse hides it all again.
    void setFamilyPicture(const FamilyPicture &picture);
    const FamilyPicture &familyPicture() const;
    void setData(const std::vector<Vec2> &points);
    void setArrows(const std::vector<GradientSample> &gradients);
    //! Contour lines of the field, and the level set at the margin m (drawn apart, in the legend).
    void setContours(const std::vector<ContourSegment> &contours, const std::vector<ContourSegment> &margin);
    int contourSegmentCount() const { return m_contourSegments; }
    void setSectionY1(double y1);
    //! Training: the pull of each data point on the manifold, and the negatives with their push (empty: none).
    void setTrainingOverlay(const std::vector<PlaneArrow> &pulls, const std::vector<Vec2> &negatives,
                            const std::vector<PlaneArrow> &pushes);
    int trainingArrowCount() const { return static_cast<int>(m_pulls.size() + m_pushes.size()); }
    void setLayers(const PlaneLayers &layers);
    void setColorMap(ColorMap map);
    //! Shows the rectangle [x0, x1] x [y0, y1] whole, with equal scales on both axes.
    void setView(double x0, double x1, double y0, double y1);
    void resetView() { setView(-3.0, 3.0, -3.0, 3.0); }

    //! What the heatmap currently displays at cell (i, j); for tests and the status bar.
    double displayedValue(int i, int j) const;
    QSize displayedGridSize() const;
    //! The rectangle the axes show (wider or taller than the view, to keep the aspect equal).
    QRectF visibleRange() const;
    //! The rectangle asked for (by setView or the user's pan and zoom), inside the visible range.
    QRectF viewRange() const { return {QPointF(m_view[0], m_view[2]), QPointF(m_view[1], m_view[3])}; }
    Vec2 observation() const { return m_observation; }
    double sectionY1() const { return m_sectionY1; }
    int arrowCount() const;
    //! Pixel position of a plane coordinate, and back (for tests that drag with the mouse).
    QPoint toPixels(const Vec2 &y) const;
    Vec2 toPlane(const QPointF &pixel) const;
    QCustomPlot *plot() const { return m_plot; }

signals:
    //! The user moved the observation (mouse drag or arrow keys) to \a y.
    void observationDragged(const ebm::Vec2 &y);
    //! The user dragged the section line to y1 = \a y1.
    void sectionDragged(double y1);
    //! The axes now show \a range: the field should be computed over all of it.
    void visibleRangeChanged(const QRectF &range);
    //! The pointer is over \a y, where the heatmap shows \a value (NaN outside it).
    void cursorMoved(const ebm::Vec2 &y, double value);
    //! K-means: the user pressed on centroid \a k, moved it to \a y, and let it go.
    void centroidDragStarted(int k);
    void centroidDragged(int k, const ebm::Vec2 &y);
    void centroidDragFinished(int k);
    //! The plot was drawn again, whole or in part (a new field, moved figures): a new frame is on its way to the
    //! screen.
    void redrawn();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    enum class Drag { None, Observation, Section, Centroid };
    //! What a change needs drawn again (observationplanelayers.cpp).
    enum class Part { Field = 1, Figures = 2, All = 4 };

    void onMousePress(QMouseEvent *event);
    void onMouseMove(QMouseEvent *event);
    void onMouseRelease(QMouseEvent *event);
    void onRangeChanged();
    void onLayout();
    void stabiliseColourBar();
    void announceVisibleRange();
    void applyEqualAspect();
    void updateObservationItems();
    void setUpLayers();
    void replot(Part part = Part::All);
    void flushReplot();

    QCustomPlot *m_plot;
    QCPColorMap *m_heatmap;
    QCPColorScale *m_colorScale;
    QCPCurve *m_manifold;
    QCPCurve *m_contours;
    QCPCurve *m_marginLine;
    int m_contourSegments = 0;
    ScatterLayer *m_latentPoints;
    QCPGraph *m_dataPoints;
    QCPGraph *m_handle;
    QCPItemLine *m_segment;
    QCPItemStraightLine *m_sectionLine;
    QList<QCPItemLine *> m_arrows;
    QList<QCPItemLine *> m_pulls;
    QList<QCPItemLine *> m_pushes;
    QCPGraph *m_negatives;
    PlaneLayers m_layers;
    Vec2 m_observation{0.0, 0.0};
    Vec2 m_inferred{0.0, 0.0}; //!< g(z_check) for the current observation
    double m_sectionY1 = 0.0;
    Drag m_drag = Drag::None;
    int m_dragCentroid = -1;
    std::unique_ptr<FamilyOverlay> m_family;
    bool m_applyingAspect = false;
    double m_view[4] = {-3.0, 3.0, -3.0, 3.0};
    QRectF m_lastVisible;
    QSize m_fittedSize;                //!< the axis rect size the ranges were last fitted to
    QCPLayer *m_fieldLayer = nullptr;  //!< the heatmap and what is computed with it, and the colour bar's axis
    QCPLayer *m_figureLayer = nullptr; //!< everything drawn over the field
    int m_dirty = 0;                   //!< Parts waiting for the queued repaint
    quint64 m_fullReplots = 0;
};

} // namespace ebm
