#include "familyoverlay.h"

#include "scatterlayer.h"

#include <qcustomplot.h>

#include <cmath>

namespace ebm {

namespace {

constexpr double kCentroidDiameter = 24.0;
constexpr double kMaxVertex = 50.0; // a vertex farther out (w0 near 0) is not drawn
const QColor kPathColour(0xff, 0xe0, 0x66);

} // namespace

QColor FamilyOverlay::clusterColour(int k, int count)
{
    return QColor::fromHsvF(std::fmod(static_cast<double>(k) / std::max(1, count), 1.0), 0.8, 0.97);
}

FamilyOverlay::FamilyOverlay(QCustomPlot *plot)
    : m_plot(plot)
    , m_assigned(new ScatterLayer(plot->xAxis, plot->yAxis))
    , m_centroids(new ScatterLayer(plot->xAxis, plot->yAxis))
    , m_vertices(new ScatterLayer(plot->xAxis, plot->yAxis))
    , m_path(new QCPCurve(plot->xAxis, plot->yAxis))
    , m_pathPoints(new ScatterLayer(plot->xAxis, plot->yAxis))
{
    m_assigned->setName(QStringLiteral("data y, coloured by cluster"));
    m_centroids->setName(QStringLiteral("centroids wₖ (drag me)"));
    m_centroids->setOutline(QPen(Qt::white, 2.5));
    m_vertices->setName(QStringLiteral("atoms W eⱼ (arrows); (w₁, w₂)/w₀ (dots)"));
    m_vertices->setOutline(QPen(Qt::white, 1.5));
    m_path->setPen(QPen(kPathColour, 2.0));
    m_path->setName(QStringLiteral("FISTA iterates W zₜ → Dec(ž₂)"));
    m_pathPoints->setOutline(QPen(QColor(30, 30, 30), 0.8));
    for (QCPAbstractPlottable *p :
         {static_cast<QCPAbstractPlottable *>(m_assigned), static_cast<QCPAbstractPlottable *>(m_centroids),
          static_cast<QCPAbstractPlottable *>(m_vertices), static_cast<QCPAbstractPlottable *>(m_path),
          static_cast<QCPAbstractPlottable *>(m_pathPoints)}) {
        p->setVisible(false);
        p->setSelectable(QCP::stNone);
    }
}

void FamilyOverlay::setPicture(const FamilyPicture &picture, bool showData, bool showLatents)
{
    m_picture = picture;
    const bool kmeans = picture.kind == ModelKind::KMeans;
    const bool sparse = picture.kind == ModelKind::SparseCoding;
    const int k = static_cast<int>(picture.centroids.size());

    QVector<ScatterLayer::Point> assigned;
    if (kmeans) {
        for (size_t i = 0; i < picture.data.size() && i < picture.assignments.size(); ++i)
            assigned.append({picture.data[i].x(), picture.data[i].y(), clusterColour(picture.assignments[i], k), 11.0});
    }
    m_assigned->setPoints(assigned);
    QVector<ScatterLayer::Point> centroids;
    for (int j = 0; kmeans && j < k; ++j) {
        const Vec2 &c = picture.centroids[static_cast<size_t>(j)];
        centroids.append({c.x(), c.y(), clusterColour(j, k), kCentroidDiameter});
    }
    m_centroids->setPoints(centroids);

    // Atoms: arrows from the origin to the y-part of W e_j, and dots at the vertices.
    const int d = sparse ? static_cast<int>(picture.atoms.size()) : 0;
    while (m_rays.size() > d)
        m_plot->removeItem(m_rays.takeLast());
    while (m_rays.size() < d) {
        auto *ray = new QCPItemLine(m_plot);
        ray->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 12, 9));
        ray->setSelectable(false);
        m_rays.append(ray);
    }
    QVector<ScatterLayer::Point> vertices;
    for (int j = 0; j < d; ++j) {
        const Vec3 &a = picture.atoms[static_cast<size_t>(j)];
        const QColor colour = clusterColour(j, d);
        QCPItemLine *ray = m_rays[j];
        ray->setPen(QPen(colour, 3.0));
        ray->start->setCoords(0.0, 0.0);
        ray->end->setCoords(a.y(), a.z());
        ray->setVisible(showLatents);
        if (std::abs(a.x()) > 1e-9) {
            const Vec2 vertex(a.y() / a.x(), a.z() / a.x());
            if (vertex.norm() < kMaxVertex)
                vertices.append({vertex.x(), vertex.y(), colour, 13.0});
        }
    }
    m_vertices->setPoints(vertices);

    QVector<double> t, x, y;
    QVector<ScatterLayer::Point> steps;
    for (size_t i = 0; sparse && i < picture.path.size(); ++i) {
        t.append(static_cast<double>(i));
        x.append(picture.path[i].x());
        y.append(picture.path[i].y());
        steps.append({picture.path[i].x(), picture.path[i].y(), kPathColour, 5.0});
    }
    m_path->setData(t, x, y, true);
    m_pathPoints->setPoints(steps);

    auto show = [](QCPAbstractPlottable *p, bool on) {
        p->setVisible(on);
        if (on)
            p->addToLegend();
        else
            p->removeFromLegend();
    };
    show(m_assigned, kmeans && showData);
    show(m_centroids, kmeans && showLatents);
    show(m_vertices, sparse && showLatents);
    show(m_path, sparse && showLatents);
    m_pathPoints->setVisible(sparse && showLatents);
}

double FamilyOverlay::centroidDiameter() const
{
    return kCentroidDiameter * m_centroids->scale();
}

int FamilyOverlay::centroidAt(const QPointF &pixel, double radius) const
{
    if (m_picture.kind != ModelKind::KMeans || !m_centroids->visible())
        return -1;
    int best = -1;
    double bestDistance = radius;
    for (size_t j = 0; j < m_picture.centroids.size(); ++j) {
        const Vec2 &c = m_picture.centroids[j];
        const QPointF at(m_plot->xAxis->coordToPixel(c.x()), m_plot->yAxis->coordToPixel(c.y()));
        const double distance = QLineF(pixel, at).length();
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = static_cast<int>(j);
        }
    }
    return best;
}

} // namespace ebm
