#include "sectionpanel.h"
#include "repaintpacer.h"

#include "plotstyle.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ebm {

namespace {

// Enough digits for the values a user types (2.5, 0.001, 1000) without printing 0.1 as 0.10000000000000001.
QString formatNumber(double value)
{
    return QString::number(value, 'g', 4);
}

// Cold blue, warm orange, hot red: the order of a thermometer, and distinguishable for the common colour deficiencies
// (blue against orange/red) and in greyscale (dark, light, medium).
const QColor kCold(33, 102, 172);
const QColor kWarm(240, 140, 20);
const QColor kHot(200, 30, 45);

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + t * (b.redF() - a.redF())),
                            float(a.greenF() + t * (b.greenF() - a.greenF())),
                            float(a.blueF() + t * (b.blueF() - a.blueF())));
}

// Any reference beta gets a colour on the same scale: exactly the three colours at the three references, and in
// between by log beta, so that a curve's colour says how warm it is.
QColor temperatureColour(double beta)
{
    const std::vector<double> refs = referenceBetas();
    const double warm = refs[1], hot = refs[2];
    if (std::isinf(beta))
        return kCold;
    if (beta <= hot)
        return kHot;
    if (beta <= warm)
        return mix(kHot, kWarm, std::log(beta / hot) / std::log(warm / hot));
    // Above warm, approach the cold colour as log beta grows: half-way one decade up, three quarters at three.
    const double decades = std::log10(beta / warm);
    return mix(kWarm, kCold, decades / (1.0 + decades));
}

} // namespace

QString sectionAxisLabel(const SectionLine &line)
{
    const Vec2 delta = line.to - line.from;
    if (delta.x() == 0.0 && delta.y() != 0.0)
        return QStringLiteral("y₂ along y₁ = %1").arg(formatNumber(line.from.x()));
    if (delta.y() == 0.0 && delta.x() != 0.0)
        return QStringLiteral("y₁ along y₂ = %1").arg(formatNumber(line.from.y()));
    return QStringLiteral("distance from (%1, %2)").arg(formatNumber(line.from.x()), formatNumber(line.from.y()));
}

QString sectionCurveLabel(double beta, bool current)
{
    const QString value = std::isinf(beta) ? QStringLiteral("∞") : formatNumber(beta);
    QStringList roles;
    if (std::isinf(beta))
        roles << QStringLiteral("cold");
    else if (beta == referenceBetas()[1])
        roles << QStringLiteral("warm");
    else if (beta == referenceBetas()[2])
        roles << QStringLiteral("hot");
    if (current)
        roles << QStringLiteral("current");
    if (roles.isEmpty())
        return QStringLiteral("β = %1").arg(value);
    return QStringLiteral("β = %1 (%2)").arg(value, roles.join(QStringLiteral(", ")));
}

SectionPanel::SectionPanel(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(360, 260);

    // One size up from the shared style: this panel is small on screen but read from as far away as the others.
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        plotstyle::styleAxis(axis, axis == m_plot->xAxis ? QStringLiteral("s") : QStringLiteral("F(y)"));
        axis->setLabelFont(plotstyle::font(14));
        axis->setTickLabelFont(plotstyle::font(12));
    }
    m_plot->xAxis->grid()->setPen(QPen(QColor(0, 0, 0, 30), 1));
    m_plot->yAxis->grid()->setPen(QPen(QColor(0, 0, 0, 30), 1));

    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(plotstyle::font(13));
    m_plot->legend->setBrush(QColor(255, 255, 255, 215));
    m_plot->legend->setBorderPen(QPen(QColor(0, 0, 0, 60), 1));
    m_plot->legend->setIconSize(34, 14);
    // F grows towards the ends of a section through the view, so the top centre is where the curves are not.
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignHCenter);
}

void SectionPanel::setProfile(const SectionProfile &profile, double currentBeta, const QString &axisLabel)
{
    m_plot->clearGraphs();
    m_graphs.assign(profile.curves.size(), nullptr);
    m_plot->xAxis->setLabel(axisLabel);
    const QVector<double> s(profile.s.begin(), profile.s.end());
    m_descending = profile.s.size() > 1 && profile.s.front() > profile.s.back();

    // The first curve at the current beta is the current one. A reference at the same beta would hide under it and
    // repeat itself in the legend, so it is kept (for curveValues) but not shown: the current label names its role.
    int current = -1;
    for (size_t c = 0; c < profile.curves.size() && current < 0; ++c) {
        if (profile.curves[c].beta == currentBeta)
            current = int(c);
    }
    // References first so that the current curve is painted over them.
    std::vector<int> drawOrder(profile.curves.size());
    std::iota(drawOrder.begin(), drawOrder.end(), 0);
    std::stable_partition(drawOrder.begin(), drawOrder.end(), [current](int c) { return c != current; });

    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (int c : drawOrder) {
        const SectionCurve &curve = profile.curves[size_t(c)];
        auto *graph = m_plot->addGraph();
        const bool isCurrent = c == current;
        // The current curve is drawn in the text colour, so it follows the theme (black on light, light on dark).
        graph->setPen(isCurrent ? QPen(m_plot->xAxis->tickLabelColor(), 4.5)
                                : QPen(temperatureColour(curve.beta), 3.0));
        graph->setName(sectionCurveLabel(curve.beta, isCurrent));
        const size_t n = std::min(curve.values.size(), profile.s.size());
        graph->setData(s.mid(0, qsizetype(n)),
                       QVector<double>(curve.values.begin(), curve.values.begin() + qsizetype(n)));
        m_graphs[size_t(c)] = graph;
        if (!isCurrent && curve.beta == currentBeta) {
            graph->setVisible(false);
            continue;
        }
        for (size_t i = 0; i < n; ++i) {
            if (std::isfinite(curve.values[i])) {
                lo = std::min(lo, curve.values[i]);
                hi = std::max(hi, curve.values[i]);
            }
        }
    }

    // The legend lists the curves from the lowest beta to the highest: since F is non-increasing in beta, that is the
    // order in which they are stacked in the plot, hot on top.
    m_plot->legend->clearItems();
    std::vector<int> legendOrder(drawOrder);
    std::stable_sort(legendOrder.begin(), legendOrder.end(),
                     [&](int a, int b) { return profile.curves[size_t(a)].beta < profile.curves[size_t(b)].beta; });
    for (int c : legendOrder) {
        if (m_graphs[size_t(c)]->visible())
            m_graphs[size_t(c)]->addToLegend();
    }

    if (!s.isEmpty())
        m_plot->xAxis->setRange(*std::min_element(s.begin(), s.end()), *std::max_element(s.begin(), s.end()));
    if (lo <= hi) {
        const double margin = hi > lo ? 0.06 * (hi - lo) : std::max(1.0, std::abs(hi)) * 0.1;
        m_plot->yAxis->setRange(lo - margin, hi + margin);
    }
    RepaintPacer::replot(m_plot);
}

int SectionPanel::curveCount() const
{
    return int(m_graphs.size());
}

QVector<double> SectionPanel::curveValues(int i) const
{
    QVector<double> values;
    if (i < 0 || i >= curveCount())
        return values;
    const QSharedPointer<QCPGraphDataContainer> data = m_graphs[size_t(i)]->data();
    values.reserve(data->size());
    for (const QCPGraphData &point : *data)
        values.append(point.value);
    if (m_descending)
        std::reverse(values.begin(), values.end());
    return values;
}

} // namespace ebm
