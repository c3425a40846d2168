#include "familylatentpanel.h"
#include "repaintpacer.h"

#include "plotstyle.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

const QColor kStemColor(0x4f, 0x8c, 0xd6);
const QColor kColdColor(0xc6, 0x28, 0x28);
const QColor kWarmColor(0xe6, 0x7e, 0x00);

QCPItemStraightLine *levelLine(QCustomPlot *plot, QCPAxisRect *rect, const QPen &pen)
{
    auto *line = new QCPItemStraightLine(plot);
    line->setClipAxisRect(rect);
    for (QCPItemPosition *p : {line->point1, line->point2})
        p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    line->setPen(pen);
    line->setSelectable(false);
    return line;
}

QString number(double v)
{
    return QString::number(v, 'f', 4);
}

} // namespace

FamilyLatentPanel::FamilyLatentPanel(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_readout(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 6);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_readout);
    m_readout->setContentsMargins(12, 0, 12, 0);
    m_readout->setFont(plotstyle::font(12));
    m_readout->setWordWrap(true);
    setMinimumHeight(400);
    setAutoFillBackground(true);
    QPalette background = palette();
    background.setColor(QPalette::Window, Qt::white);
    setPalette(background);

    m_plot->plotLayout()->clear();
    m_topRect = new QCPAxisRect(m_plot);
    m_bottomRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_topRect);
    m_plot->plotLayout()->addElement(1, 0, m_bottomRect);
    m_plot->plotLayout()->setRowStretchFactors({1.5, 1.0});
    auto *group = new QCPMarginGroup(m_plot);
    for (QCPAxisRect *rect : {m_topRect, m_bottomRect})
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);

    QCPAxis *kTop = m_topRect->axis(QCPAxis::atBottom), *eAxis = m_topRect->axis(QCPAxis::atLeft);
    QCPAxis *kBottom = m_bottomRect->axis(QCPAxis::atBottom), *pAxis = m_bottomRect->axis(QCPAxis::atLeft);
    QPen coldPen(kColdColor, 2.5), warmPen(kWarmColor, 2.5);
    coldPen.setDashPattern({4.0, 4.0});
    warmPen.setDashPattern({4.0, 4.0});
    warmPen.setDashOffset(4.0);
    m_zeroTemperatureLine = levelLine(m_plot, m_topRect, coldPen);
    m_freeEnergyLine = levelLine(m_plot, m_topRect, warmPen);

    m_topBars = new QCPBars(kTop, eAxis);
    m_topBars->setWidth(0.6);
    m_topBars->setPen(QPen(kStemColor.darker(130), 1.0));
    m_topBars->setBrush(kStemColor);
    m_stems = new QCPGraph(kTop, eAxis);
    m_stems->setLineStyle(QCPGraph::lsImpulse);
    m_stems->setPen(QPen(kStemColor, 2.0));
    m_stems->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kStemColor, 8));
    m_marker = new QCPGraph(kTop, eAxis);
    m_marker->setLineStyle(QCPGraph::lsNone);
    m_marker->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::white, 1.5), QBrush(kColdColor), 18));

    m_bars = new QCPBars(kBottom, pAxis);
    m_bars->setWidth(0.6);
    m_bars->setPen(QPen(kWarmColor.darker(130), 1.0));
    m_bars->setBrush(kWarmColor);
    m_markedBars = new QCPBars(kBottom, pAxis);
    m_markedBars->setWidth(0.6);
    m_markedBars->setPen(QPen(kColdColor.darker(130), 1.0));
    m_markedBars->setBrush(kColdColor);
    showKMeans(KMeans(Eigen::Matrix2Xd::Zero(2, 1)), Vec2::Zero(), 1.0);
}

void FamilyLatentPanel::setAxes(int count, const QString &index, const QString &top, const QString &bottom)
{
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(count > 20 ? 5.0 : (count > 10 ? 2.0 : 1.0));
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    for (QCPAxisRect *rect : {m_topRect, m_bottomRect}) {
        rect->axis(QCPAxis::atBottom)->setTicker(ticker);
        rect->axis(QCPAxis::atBottom)->setRange(-0.7, count - 0.3);
    }
    plotstyle::styleAxis(m_topRect->axis(QCPAxis::atBottom), QString());
    plotstyle::styleAxis(m_topRect->axis(QCPAxis::atLeft), top);
    plotstyle::styleAxis(m_bottomRect->axis(QCPAxis::atBottom), index);
    plotstyle::styleAxis(m_bottomRect->axis(QCPAxis::atLeft), bottom);
}

void FamilyLatentPanel::showKMeans(const KMeans &model, const Vec2 &y, double beta)
{
    const int k = model.k();
    setAxes(k, QStringLiteral("cluster k"), QStringLiteral("E(y, k) = ‖y − wₖ‖²"), QStringLiteral("Pᵦ(k | y)"));
    const std::vector<double> energies = model.energies(y);
    const Assignment a = model.assign(y);
    const std::vector<double> p = model.posterior(y, beta);
    QVector<double> ks;
    for (int j = 0; j < k; ++j)
        ks.append(j);
    m_stemValues = QVector<double>(energies.begin(), energies.end());
    m_barValues = QVector<double>(p.begin(), p.end());
    m_marked = a.k;
    m_zeroTemperature = a.value;
    m_stems->setData(ks, m_stemValues, true);
    m_stems->setVisible(true);
    m_topBars->data()->clear();
    m_marker->setData({double(a.k)}, {a.value});
    m_bars->setData(ks, m_barValues, true);
    m_markedBars->data()->clear();
    const double fBeta = model.freeEnergy(y, beta);
    m_zeroTemperatureLine->point1->setCoords(0.0, a.value);
    m_zeroTemperatureLine->point2->setCoords(1.0, a.value);
    m_freeEnergyLine->point1->setCoords(0.0, fBeta);
    m_freeEnergyLine->point2->setCoords(1.0, fBeta);
    m_zeroTemperatureLine->setVisible(true);
    m_freeEnergyLine->setVisible(!std::isinf(beta));
    const double top = *std::max_element(energies.begin(), energies.end());
    m_topRect->axis(QCPAxis::atLeft)->setRange(std::min(0.0, fBeta) - 0.05 * top, 1.08 * top + 1e-9);
    m_bottomRect->axis(QCPAxis::atLeft)->setRange(0.0, 1.05);
    const QString betaText = std::isinf(beta) ? QStringLiteral("∞") : QString::number(beta, 'g', 4);
    m_readout->setText(tr("<b>K-means</b>, K = %1:  y = (%2, %3)   ž = e<sub>%4</sub>  (nearest centroid)   "
                          "<span style='color:#c62828'>F∞ = %5</span>   "
                          "<span style='color:#b35c00'>Fᵦ = %6 at β = %7</span>")
                           .arg(k)
                           .arg(number(y.x()), number(y.y()))
                           .arg(a.k)
                           .arg(number(a.value), std::isinf(beta) ? number(a.value) : number(fBeta), betaText));
    RepaintPacer::replot(m_plot);
}

void FamilyLatentPanel::showSparse(const SparseCoding &model, const Vec2 &y)
{
    const int d = model.atoms();
    setAxes(d, QStringLiteral("atom j"), QStringLiteral("lasso ž (FISTA)"), QStringLiteral("top-2 refit ž₂"));
    const Vec3 yDot = lift(y);
    const TopTwoCode code = model.infer(yDot);
    QVector<double> js;
    for (int j = 0; j < d; ++j)
        js.append(j);
    m_stemValues = QVector<double>(code.lasso.data(), code.lasso.data() + code.lasso.size());
    m_barValues = QVector<double>(code.z.data(), code.z.data() + code.z.size());
    m_marked = code.first;
    m_zeroTemperature = code.value;
    m_stems->data()->clear();
    m_marker->data()->clear();
    m_topBars->setData(js, m_stemValues, true);
    // The two kept atoms in red, the others (all zero after the refit) in orange.
    QVector<double> keptKeys, keptValues, otherKeys, otherValues;
    for (int j = 0; j < d; ++j) {
        const bool kept = j == code.first || j == code.second;
        (kept ? keptKeys : otherKeys).append(j);
        (kept ? keptValues : otherValues).append(m_barValues[j]);
    }
    m_markedBars->setData(keptKeys, keptValues, true);
    m_bars->setData(otherKeys, otherValues, true);
    m_zeroTemperatureLine->setVisible(false);
    m_freeEnergyLine->setVisible(false);
    auto range = [](const QVector<double> &v) {
        double lo = 0.0, hi = 0.0;
        for (double x : v) {
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
        const double pad = 0.08 * std::max(hi - lo, 1e-3);
        return QCPRange(lo - pad, hi + pad);
    };
    m_topRect->axis(QCPAxis::atLeft)->setRange(range(m_stemValues));
    m_bottomRect->axis(QCPAxis::atLeft)->setRange(range(m_barValues));
    const double cost = (yDot - model.decode(code.z)).squaredNorm();
    const double reg = model.alpha() * code.z.lpNorm<1>();
    const Vec3 dec = model.decode(code.z);
    m_readout->setText(
        tr("<b>Sparse coding</b>, d = %1, α = %2:  y = (%3, %4)   kept atoms %5 and %6   "
           "Dec(ž₂) = W ž₂ = (%7, %8, %9)<br>C = ‖ẏ − W ž₂‖² = %10   R = α‖ž₂‖₁ = %11   "
           "<span style='color:#c62828'>F∞ = E(y, ž₂) = %12</span>")
            .arg(d)
            .arg(model.alpha(), 0, 'g', 4)
            .arg(number(y.x()), number(y.y()))
            .arg(code.first)
            .arg(code.second)
            .arg(number(dec.x()), number(dec.y()), number(dec.z()), number(cost), number(reg), number(code.value)));
    RepaintPacer::replot(m_plot);
}

QVector<double> FamilyLatentPanel::stems() const
{
    return m_stemValues;
}

int FamilyLatentPanel::markedIndex() const
{
    return m_marked;
}

QVector<double> FamilyLatentPanel::bars() const
{
    return m_barValues;
}

double FamilyLatentPanel::zeroTemperatureLine() const
{
    return m_zeroTemperatureLine->point1->coords().y();
}

QString FamilyLatentPanel::readoutText() const
{
    return m_readout->text();
}

} // namespace ebm
