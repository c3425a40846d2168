#include "trainingchoices.h"

#include "plotstyle.h"

#include <qcustomplot.h>

#include <QComboBox>

#include <cmath>
#include <limits>

namespace ebm::trainingchoices {

namespace {

const struct
{
    LossKind kind;
    const char *label;
    const char *formula;
} kLosses[] = {
    {LossKind::Energy, "energy", "F(y): pull the manifold to the data"},
    {LossKind::Hinge, "hinge", "[F(y) − F(ŷ) + m]⁺"},
    {LossKind::Log, "log", "log(1 + exp(F(y) − F(ŷ)))"},
    {LossKind::Simple, "simple", "[F(y)]⁺ + [m − F(ŷ)]⁺"},
    {LossKind::SquareSquare, "square-square", "([F(y)]⁺)² + ([m − F(ŷ)]⁺)²"},
    {LossKind::Nll, "NLL", "F(y) + (1/β) log Σ_y′ exp(−βF(y′))"},
};

const struct
{
    NegativeStrategy strategy;
    const char *label;
    const char *tip;
} kStrategies[] = {
    {NegativeStrategy::Uniform, "uniform in view", "ŷ uniform in the view box"},
    {NegativeStrategy::Noise, "data + noise", "ŷ = a data point plus Gaussian noise"},
    {NegativeStrategy::Offending, "most offending", "ŷ = the lowest F among K random points away from the data"},
};

} // namespace

double speedAt(int position)
{
    if (position >= kSpeedPositions)
        return std::numeric_limits<double>::infinity();
    return std::round(std::pow(10.0, position / 10.0));
}

QString speedText(double epochsPerSecond)
{
    return std::isinf(epochsPerSecond) ? QStringLiteral("max") : QStringLiteral("%1 /s").arg(epochsPerSecond);
}

void fillLosses(QComboBox *box)
{
    for (const auto &loss : kLosses) {
        box->addItem(QString::fromUtf8(loss.label), int(loss.kind));
        box->setItemData(box->count() - 1, QString::fromUtf8(loss.formula), Qt::ToolTipRole);
    }
}

void fillStrategies(QComboBox *box)
{
    for (const auto &s : kStrategies) {
        box->addItem(QString::fromUtf8(s.label), int(s.strategy));
        box->setItemData(box->count() - 1, QString::fromUtf8(s.tip), Qt::ToolTipRole);
    }
}

void selectData(QComboBox *box, int value)
{
    const int index = box->findData(value);
    if (index >= 0)
        box->setCurrentIndex(index);
}

QString betaText(double beta)
{
    return std::isinf(beta) ? QStringLiteral("β = ∞") : QStringLiteral("β = %1").arg(beta, 0, 'g', 4);
}

QString configSummary(const TrainingConfig &config)
{
    QString loss;
    for (const auto &l : kLosses) {
        if (l.kind == config.loss.kind)
            loss = QString::fromUtf8(l.label);
    }
    QString text = loss;
    if (lossUsesMargin(config.loss.kind))
        text += QStringLiteral(", m = %1").arg(config.loss.margin, 0, 'g', 3);
    if (config.loss.kind == LossKind::Energy)
        text += std::isinf(config.loss.beta) ? QStringLiteral(", zero temperature") : QStringLiteral(", marginalised");
    return text + QStringLiteral(", ") + betaText(config.loss.beta);
}

QFont controlFont(bool bold)
{
    return plotstyle::font(12, bold);
}

void styleAxis(QCPAxis *axis, const QString &label)
{
    plotstyle::styleAxis(axis, label);
    axis->setLabelFont(plotstyle::font(15));
    axis->setTickLabelFont(plotstyle::font(13));
    axis->setBasePen(QPen(Qt::black, 1.5));
    axis->setTickPen(QPen(Qt::black, 1.5));
    axis->setSubTickPen(QPen(Qt::black, 1.0));
    axis->grid()->setPen(QPen(QColor(0, 0, 0, 35), 1.0));
}

} // namespace ebm::trainingchoices
