#include "latentpanel.h"
#include "repaintpacer.h"

#include <qcustomplot.h>

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

// 400 intervals, both ends included: E is periodic, and drawing z = 2 pi closes the curve at the right edge.
constexpr int kCurveIntervals = 400;
constexpr double kPi = kTwoPi / 2.0;
// A little room either side of [0, 2 pi] so the stem at z = 0 and its bar are not cut in half by the axis.
constexpr double kZPad = 0.12;

// One colour per idea, used for lines and read-outs alike: blue = the energy, red = zero temperature (F_inf, z_check),
// orange = the inverse temperature beta (F_beta, the posterior and its mean).
const QColor kCurveColor(0x1b, 0x3a, 0x7a);
const QColor kStemColor(0x4f, 0x8c, 0xd6);
const QColor kColdColor(0xc6, 0x28, 0x28);
const QColor kWarmColor(0xe6, 0x7e, 0x00);
const QColor kWarmText(0xb3, 0x5c, 0x00); // orange text needs to be darker than orange lines to read on white
const QColor kNoteColor(0x40, 0x40, 0x48);

QFont plotFont(int pointSize, bool bold = false)
{
    QFont font(QStringLiteral("DejaVu Sans"), pointSize);
    font.setBold(bold);
    return font;
}

QString number(double v)
{
    const QString s = QString::number(v, 'f', 4);
    return s == QStringLiteral("-0.0000") ? QStringLiteral("0.0000") : s;
}

//! A step of 1, 2 or 5 times a power of ten giving two or three ticks over [0, range].
double tickStep(double range)
{
    const double raw = range / 2.5;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    for (double mantissa : {1.0, 2.0, 5.0}) {
        if (mantissa * decade >= raw)
            return mantissa * decade;
    }
    return 10.0 * decade;
}

void styleAxis(QCPAxis *axis, const QString &label)
{
    axis->setLabel(label);
    axis->setLabelFont(plotFont(14));
    axis->setTickLabelFont(plotFont(12));
    axis->setBasePen(QPen(Qt::black, 1.5));
    axis->setTickPen(QPen(Qt::black, 1.5));
    axis->setSubTickPen(QPen(Qt::black, 1.0));
    axis->grid()->setPen(QPen(QColor(0, 0, 0, 40), 1.0, Qt::SolidLine));
}

void bindPosition(QCPItemPosition *position, QCPAxisRect *rect)
{
    position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    position->setAxisRect(rect);
}

QCPItemStraightLine *straightLine(QCustomPlot *plot, QCPAxisRect *rect, const QPen &pen)
{
    auto *line = new QCPItemStraightLine(plot);
    line->setClipAxisRect(rect);
    bindPosition(line->point1, rect);
    bindPosition(line->point2, rect);
    line->setPen(pen);
    return line;
}

// A label that lives outside the axis rect (in its margin), pinned to a data coordinate on one axis.
QCPItemText *marginLabel(QCustomPlot *plot, QCPAxisRect *rect, const QString &text, const QColor &color,
                         Qt::Alignment alignment)
{
    auto *label = new QCPItemText(plot);
    label->setClipToAxisRect(false);
    bindPosition(label->position, rect);
    label->setText(text);
    label->setFont(plotFont(16, true));
    label->setColor(color);
    label->setPositionAlignment(alignment);
    return label;
}

// The minimum width is that of the widest text the label will show, not of its current text: the layout then stays
// put while the numbers change under a drag, instead of re-flowing on every move.
QLabel *readoutLabel(QWidget *parent, const QColor &color, const QString &widest)
{
    auto *label = new QLabel(parent);
    label->setFont(plotFont(15));
    label->setMinimumWidth(QFontMetrics(label->font()).horizontalAdvance(widest));
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color);
    label->setPalette(palette);
    return label;
}

} // namespace

LatentPanel::LatentPanel(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(4);
    layout->addWidget(m_plot, 1);
    // No minimum width: the read-outs' layout sets it, so a narrow dock cannot cut a number off.
    setMinimumHeight(400);
    // White throughout, so the read-outs and the plot read as one panel.
    setAutoFillBackground(true);
    QPalette background = palette();
    background.setColor(QPalette::Window, Qt::white);
    setPalette(background);

    // Two stacked axis rects over the same z range: the energy on top, the posterior beneath.
    m_plot->plotLayout()->clear();
    m_energyRect = new QCPAxisRect(m_plot);
    m_posteriorRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_energyRect);
    m_plot->plotLayout()->addElement(1, 0, m_posteriorRect);
    m_plot->plotLayout()->setRowStretchFactors({1.7, 1.0});
    m_plot->plotLayout()->setRowSpacing(0);
    auto *marginGroup = new QCPMarginGroup(m_plot);
    for (QCPAxisRect *rect : {m_energyRect, m_posteriorRect}) {
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, marginGroup);
        // Top and right margins are fixed: they hold the z_check and F labels, which the automatic margins ignore.
        rect->setAutoMargins(QCP::msLeft | QCP::msBottom);
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        ticker->setTicks({0.0, kPi / 2, kPi, 3 * kPi / 2, kTwoPi},
                         {QStringLiteral("0"), QStringLiteral("π/2"), QStringLiteral("π"), QStringLiteral("3π/2"),
                          QStringLiteral("2π")});
        ticker->setSubTickCount(1);
        rect->axis(QCPAxis::atBottom)->setTicker(ticker);
        rect->axis(QCPAxis::atBottom)->setRange(-kZPad, kTwoPi + kZPad);
    }
    m_energyRect->setMargins(QMargins(0, 30, 50, 0));
    m_posteriorRect->setMargins(QMargins(0, 10, 50, 0));

    buildEnergyRect();
    buildPosteriorRect();

    auto *readouts = new QGridLayout;
    readouts->setContentsMargins(12, 0, 12, 0);
    readouts->setHorizontalSpacing(24);
    readouts->setVerticalSpacing(2);
    readouts->setColumnStretch(0, 1);
    readouts->setColumnStretch(1, 1);
    m_yLabel = readoutLabel(this, Qt::black, QStringLiteral("y = (-00.0000, -00.0000)"));
    m_betaLabel = readoutLabel(this, kWarmText, QStringLiteral("β = 0.0000e-00"));
    m_zeroTemperatureReadout = readoutLabel(this, kColdColor, QStringLiteral("F∞ = 000.0000"));
    m_freeEnergyReadout = readoutLabel(this, kWarmText, QStringLiteral("Fᵦ = 000.0000"));
    m_zCheckReadout = readoutLabel(this, kColdColor, QStringLiteral("ž = 0.0000  (k = 000)"));
    m_posteriorMeanReadout = readoutLabel(this, kWarmText, QStringLiteral("ȳᵦ = (-00.0000, -00.0000)"));
    // Rows by temperature (the observation, then zero temperature in red, then beta in orange); the long pairs share
    // the left column so the panel still fits a narrow dock.
    readouts->addWidget(m_yLabel, 0, 0);
    readouts->addWidget(m_betaLabel, 0, 1);
    readouts->addWidget(m_zCheckReadout, 1, 0);
    readouts->addWidget(m_zeroTemperatureReadout, 1, 1);
    readouts->addWidget(m_posteriorMeanReadout, 2, 0);
    readouts->addWidget(m_freeEnergyReadout, 2, 1);
    layout->addLayout(readouts);

    setState(EllipseEbm(), Vec2(1.0, 0.8), 1.0);
}

void LatentPanel::buildEnergyRect()
{
    QCPAxis *zAxis = m_energyRect->axis(QCPAxis::atBottom);
    QCPAxis *eAxis = m_energyRect->axis(QCPAxis::atLeft);
    styleAxis(zAxis, QString());
    styleAxis(eAxis, QStringLiteral("E(y, z)"));
    zAxis->setTickLabels(false); // the posterior's z axis right below carries them
    eAxis->ticker()->setTickCount(4);

    // Created before the curve so that the curve and the markers are drawn over the lines.
    // Interleaved dashes: at beta = inf the two lines coincide and read as one red-and-orange line, not one hiding
    // the other.
    QPen coldPen(kColdColor, 2.5), warmPen(kWarmColor, 2.5);
    coldPen.setDashPattern({4.0, 4.0});
    warmPen.setDashPattern({4.0, 4.0});
    warmPen.setDashOffset(4.0);
    m_zeroTemperatureLine = straightLine(m_plot, m_energyRect, coldPen);
    m_freeEnergyLine = straightLine(m_plot, m_energyRect, warmPen);
    m_zCheckLine = straightLine(m_plot, m_energyRect, QPen(kColdColor, 1.5, Qt::DashLine));

    m_curve = new QCPGraph(zAxis, eAxis);
    m_curve->setPen(QPen(kCurveColor, 3.0));

    m_stems = new QCPGraph(zAxis, eAxis);
    m_stems->setLineStyle(QCPGraph::lsImpulse);
    m_stems->setPen(QPen(kStemColor, 1.5));
    m_stems->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kStemColor, 6));

    m_zCheckMarker = new QCPGraph(zAxis, eAxis);
    m_zCheckMarker->setLineStyle(QCPGraph::lsNone);
    m_zCheckMarker->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::white, 1.5), QBrush(kColdColor), 16));

    // F_beta >= F_inf, so F_beta's label sits above its line and F_inf's below: they never overlap.
    m_freeEnergyLabel =
        marginLabel(m_plot, m_energyRect, QStringLiteral("Fᵦ"), kWarmText, Qt::AlignLeft | Qt::AlignBottom);
    m_zeroTemperatureLabel =
        marginLabel(m_plot, m_energyRect, QStringLiteral("F∞"), kColdColor, Qt::AlignLeft | Qt::AlignTop);
    m_zCheckLabel =
        marginLabel(m_plot, m_energyRect, QStringLiteral("ž"), kColdColor, Qt::AlignHCenter | Qt::AlignBottom);
    for (QCPItemText *label : {m_freeEnergyLabel, m_zeroTemperatureLabel}) {
        label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(1.0, 0.0);
        label->setPadding(QMargins(8, 0, 0, 0));
    }
    m_zCheckLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
}

void LatentPanel::buildPosteriorRect()
{
    QCPAxis *zAxis = m_posteriorRect->axis(QCPAxis::atBottom);
    QCPAxis *pAxis = m_posteriorRect->axis(QCPAxis::atLeft);
    styleAxis(zAxis, QStringLiteral("z"));
    styleAxis(pAxis, QStringLiteral("Pᵦ(z | y)"));
    zAxis->setLabelFont(plotFont(15, true));
    zAxis->setLabelPadding(2);
    // The rect is short: a fixed step of 1, 2 or 5 gives two or three labels, where the automatic ticker crowds five.
    QSharedPointer<QCPAxisTickerFixed> pTicker(new QCPAxisTickerFixed);
    pTicker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    pAxis->setTicker(pTicker);

    m_posteriorZCheckLine = straightLine(m_plot, m_posteriorRect, QPen(kColdColor, 1.5, Qt::DashLine));

    m_bars = new QCPBars(zAxis, pAxis);
    m_bars->setPen(QPen(kWarmColor.darker(130), 1.0));
    m_bars->setBrush(kWarmColor);

    m_density = new QCPGraph(zAxis, pAxis);
    m_density->setPen(QPen(kWarmColor.darker(115), 2.5));
    QColor fill = kWarmColor;
    fill.setAlpha(110);
    m_density->setBrush(fill);

    // A Dirac cannot be drawn as a density: the convention is an arrow at its location.
    m_dirac = new QCPItemLine(m_plot);
    m_dirac->setClipAxisRect(m_posteriorRect);
    bindPosition(m_dirac->start, m_posteriorRect);
    bindPosition(m_dirac->end, m_posteriorRect);
    m_dirac->end->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_dirac->setPen(QPen(kColdColor, 3.0));
    m_dirac->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 14, 18));

    m_diracNote = new QCPItemText(m_plot);
    m_diracNote->setClipAxisRect(m_posteriorRect);
    bindPosition(m_diracNote->position, m_posteriorRect);
    m_diracNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_diracNote->setText(QStringLiteral("P is a Dirac at ž"));
    m_diracNote->setFont(plotFont(15));
    m_diracNote->setColor(kNoteColor);
    m_diracNote->setBrush(QColor(255, 255, 255, 220));
    m_diracNote->setPadding(QMargins(6, 3, 6, 3));
}

void LatentPanel::setState(const EllipseEbm &model, const Vec2 &y, double beta)
{
    const Inference inference = model.infer(y, beta);
    const ZeroTemperature &cold = inference.zeroTemperature;

    QVector<double> z(kCurveIntervals + 1), e(kCurveIntervals + 1);
    double eMax = 0.0;
    for (int i = 0; i <= kCurveIntervals; ++i) {
        z[i] = kTwoPi * i / kCurveIntervals;
        e[i] = model.energy(y, z[i]);
        eMax = std::max(eMax, e[i]);
    }
    m_curve->setData(z, e, true);

    const LatentSpec &latents = model.latents();
    QVector<double> zk, ek;
    for (int k = 0; k < latents.count(); ++k) {
        zk.append(latents.angle(k));
        ek.append(model.energy(y, zk.back()));
    }
    m_stems->setData(zk, ek, true);
    m_stems->setVisible(!latents.isContinuous());

    m_zCheckMarker->setData({cold.z}, {cold.value}, true);
    m_zCheckLine->point1->setCoords(cold.z, 0.0);
    m_zCheckLine->point2->setCoords(cold.z, 1.0);
    m_zCheckLabel->position->setCoords(cold.z, -0.01);
    m_zeroTemperatureLine->point1->setCoords(0.0, cold.value);
    m_zeroTemperatureLine->point2->setCoords(1.0, cold.value);
    m_zeroTemperatureLabel->position->setCoords(1.0, cold.value);
    m_freeEnergyLine->point1->setCoords(0.0, inference.freeEnergy);
    m_freeEnergyLine->point2->setCoords(1.0, inference.freeEnergy);
    m_freeEnergyLabel->position->setCoords(1.0, inference.freeEnergy);
    // The energy is never negative: start at zero, with a sliver below so a minimum at E = 0 stays visible.
    const double top = std::max(eMax, 1e-3) * 1.08;
    m_energyRect->axis(QCPAxis::atLeft)->setRange(-0.04 * top, top);

    updatePosterior(model, y, beta, inference);
    updateReadouts(y, beta, inference, cold.k);
    RepaintPacer::replot(m_plot);
}

void LatentPanel::updatePosterior(const EllipseEbm &model, const Vec2 &y, double beta, const Inference &inference)
{
    const LatentSpec &latents = model.latents();
    const double zCheck = inference.zeroTemperature.z;
    const bool dirac = latents.isContinuous() && std::isinf(beta);
    double pMax = 0.0;

    QVector<double> zk, pk;
    if (!latents.isContinuous()) {
        const std::vector<double> p = model.posterior(y, beta);
        for (int k = 0; k < latents.count(); ++k) {
            zk.append(latents.angle(k));
            pk.append(p[static_cast<size_t>(k)]);
            pMax = std::max(pMax, pk.back());
        }
        m_bars->setWidth(0.7 * kTwoPi / latents.count());
    }
    m_bars->setData(zk, pk, true);
    m_bars->setVisible(!latents.isContinuous());

    QVector<double> zd, pd;
    if (latents.isContinuous() && !dirac) {
        // P(z|y) = exp(-beta E) / integral exp(-beta E) dz = exp(-beta (E - F_beta)) / 2 pi, from the curve's own
        // energies: no second quadrature. z_check is inserted so that a sharp peak is drawn at its true height.
        const QCPGraphDataContainer &curve = *m_curve->data();
        for (auto it = curve.constBegin(); it != curve.constEnd(); ++it) {
            if (!zd.isEmpty() && zd.back() < zCheck && it->key > zCheck) {
                zd.append(zCheck);
                pd.append(std::exp(-beta * (inference.zeroTemperature.value - inference.freeEnergy)) / kTwoPi);
            }
            zd.append(it->key);
            pd.append(std::exp(-beta * (it->value - inference.freeEnergy)) / kTwoPi);
        }
        for (double p : pd)
            pMax = std::max(pMax, p);
    }
    m_density->setData(zd, pd, true);
    m_density->setVisible(latents.isContinuous() && !dirac);

    m_posteriorZCheckLine->point1->setCoords(zCheck, 0.0);
    m_posteriorZCheckLine->point2->setCoords(zCheck, 1.0);
    m_posteriorZCheckLine->setVisible(!dirac);
    m_dirac->start->setCoords(zCheck, 0.0);
    m_dirac->end->setCoords(zCheck, 0.12);
    m_dirac->setVisible(dirac);
    // The note goes on the side away from the arrow.
    m_diracNote->position->setCoords(zCheck < kPi ? 0.7 : 0.3, 0.45);
    m_diracNote->setVisible(dirac);

    QCPAxis *pAxis = m_posteriorRect->axis(QCPAxis::atLeft);
    pAxis->setTickLabels(!dirac);
    pAxis->setTicks(!dirac);
    const double top = dirac ? 1.0 : std::max(pMax, 1e-12) * 1.12;
    pAxis->setRange(0.0, top);
    static_cast<QCPAxisTickerFixed *>(pAxis->ticker().data())->setTickStep(tickStep(top));
}

void LatentPanel::updateReadouts(const Vec2 &y, double beta, const Inference &inference, int zCheckIndex)
{
    const ZeroTemperature &cold = inference.zeroTemperature;
    m_yLabel->setText(QStringLiteral("y = (%1, %2)").arg(number(y.x()), number(y.y())));
    m_betaLabel->setText(std::isinf(beta) ? QStringLiteral("β = ∞")
                                          : QStringLiteral("β = %1").arg(QString::number(beta, 'g', 4)));
    m_zeroTemperatureReadout->setText(QStringLiteral("F∞ = %1").arg(number(cold.value)));
    m_freeEnergyReadout->setText(QStringLiteral("Fᵦ = %1").arg(number(inference.freeEnergy)));
    QString zText = QStringLiteral("ž = %1").arg(number(cold.z));
    if (zCheckIndex >= 0)
        zText += QStringLiteral("  (k = %1)").arg(zCheckIndex);
    m_zCheckReadout->setText(zText);
    m_posteriorMeanReadout->setText(
        QStringLiteral("ȳᵦ = (%1, %2)").arg(number(inference.posteriorMean.x()), number(inference.posteriorMean.y())));
}

QVector<double> LatentPanel::curveZ() const
{
    QVector<double> z;
    for (const QCPGraphData &d : *m_curve->data())
        z.append(d.key);
    return z;
}

QVector<double> LatentPanel::curveEnergy() const
{
    QVector<double> e;
    for (const QCPGraphData &d : *m_curve->data())
        e.append(d.value);
    return e;
}

double LatentPanel::markedZCheck() const
{
    return m_zCheckMarker->data()->constBegin()->key;
}

double LatentPanel::freeEnergyLine() const
{
    return m_freeEnergyLine->point1->coords().y();
}

double LatentPanel::zeroTemperatureLine() const
{
    return m_zeroTemperatureLine->point1->coords().y();
}

QVector<double> LatentPanel::posteriorBars() const
{
    QVector<double> p;
    for (const QCPBarsData &d : *m_bars->data())
        p.append(d.value);
    return p;
}

QString LatentPanel::readoutText() const
{
    QStringList parts;
    for (const QLabel *label : {m_yLabel, m_betaLabel, m_zCheckReadout, m_zeroTemperatureReadout,
                                m_posteriorMeanReadout, m_freeEnergyReadout})
        parts.append(label->text());
    return parts.join(QLatin1Char('\n'));
}

} // namespace ebm
