// The plane's layers for K-means and sparse coding: assignment-coloured data, centroid markers, atom rays and the
// decoded FISTA path (see FamilyPicture). Owned by the ObservationPlane; draws on its plot.
#pragma once

#include "familypicture.h"

#include <QColor>
#include <QList>
#include <QPointF>

class QCustomPlot;
class QCPCurve;
class QCPItemLine;

namespace ebm {

class ScatterLayer;

class FamilyOverlay
{
public:
    explicit FamilyOverlay(QCustomPlot *plot);

    //! Shows \a picture (nothing for the ellipse); data and latent layers follow the plane's switches.
    void setPicture(const FamilyPicture &picture, bool showData, bool showLatents);
    const FamilyPicture &picture() const { return m_picture; }
    //! The centroid whose marker is within \a radius pixels of \a pixel (the nearest), or -1.
    int centroidAt(const QPointF &pixel, double radius) const;
    //! Marker diameter of a centroid in pixels (presentation mode scales the layers).
    double centroidDiameter() const;

    //! A cluster's colour: the hue goes round with k, as the ellipse's latents do with z.
    static QColor clusterColour(int k, int count);

private:
    QCustomPlot *m_plot;
    FamilyPicture m_picture;
    ScatterLayer *m_assigned;
    ScatterLayer *m_centroids;
    ScatterLayer *m_vertices;
    QCPCurve *m_path;
    ScatterLayer *m_pathPoints;
    QList<QCPItemLine *> m_rays;
};

} // namespace ebm
