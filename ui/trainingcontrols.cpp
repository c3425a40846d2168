// The training panel's controls: the loss and its settings, play / step / reset and the speed.
#include "trainingchoices.h"
#include "trainingpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

namespace ebm {

using namespace trainingchoices;

QWidget *TrainingPanel::buildControls()
{
    auto *box = new QWidget(this);
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(6);

    m_loss = new QComboBox(box);
    m_loss->setObjectName(QStringLiteral("loss"));
    fillLosses(m_loss);
    m_loss->setToolTip(tr("The loss functional L = mean over the data of l(F, y)"));
    m_zeroTemperature = new QCheckBox(tr("zero temperature (β = ∞)"), box);
    m_zeroTemperature->setObjectName(QStringLiteral("zeroTemperature"));
    m_zeroTemperature->setChecked(true);
    m_zeroTemperature->setToolTip(tr("Train with F∞ = min_z E; off: marginalise with F_β"));
    m_beta = new QDoubleSpinBox(box);
    m_beta->setObjectName(QStringLiteral("beta"));
    m_beta->setRange(1e-3, 1e3);
    m_beta->setDecimals(3);
    m_beta->setValue(1.0);
    m_beta->setToolTip(tr("Training β: F_β = −(1/β) log mean_z exp(−βE)"));
    m_learningRate = new QDoubleSpinBox(box);
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_learningRate->setRange(1e-4, 10.0);
    m_learningRate->setDecimals(4);
    m_learningRate->setSingleStep(0.01);
    m_learningRate->setValue(m_config.learningRate);
    m_learningRate->setToolTip(tr("η in w ← w − η ∇_w L"));
    m_margin = new QDoubleSpinBox(box);
    m_margin->setObjectName(QStringLiteral("margin"));
    m_margin->setRange(0.0, 100.0);
    m_margin->setDecimals(2);
    m_margin->setSingleStep(0.1);
    m_margin->setValue(m_config.loss.margin);
    m_margin->setToolTip(tr("m of hinge, simple and square-square; the plane draws the level F = m.\n"
                            "The same m as in Parameters: editing either changes both."));
    m_strategy = new QComboBox(box);
    m_strategy->setObjectName(QStringLiteral("negatives"));
    fillStrategies(m_strategy);
    m_strategy->setToolTip(tr("Where the negatives ŷ come from"));
    m_negativeCount = new QSpinBox(box);
    m_negativeCount->setObjectName(QStringLiteral("negativeCount"));
    m_negativeCount->setRange(1, 64);
    m_negativeCount->setValue(m_config.negatives.count);
    m_negativeCount->setToolTip(tr("Negatives per data point and epoch"));
    m_epochs = new QSpinBox(box);
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_epochs->setRange(1, 1000000);
    m_epochs->setValue(m_epochLimit);
    m_epochs->setToolTip(tr("Playing stops at this epoch"));

    m_play = new QPushButton(box);
    m_play->setObjectName(QStringLiteral("play"));
    m_play->setToolTip(tr("Play / pause (Space)"));
    m_step = new QPushButton(tr("Step"), box);
    m_step->setObjectName(QStringLiteral("step"));
    m_step->setToolTip(tr("Advance exactly one epoch"));
    m_reset = new QPushButton(tr("Reset"), box);
    m_reset->setObjectName(QStringLiteral("reset"));
    m_reset->setToolTip(tr("Back to epoch 0 at the same start"));
    for (QPushButton *button : {m_play, m_step, m_reset})
        button->setFont(controlFont(true));
    m_play->setMinimumWidth(QFontMetrics(m_play->font()).horizontalAdvance(QStringLiteral("⏸ Pause")) + 24);
    m_speed = new QSlider(Qt::Horizontal, box);
    m_speed->setObjectName(QStringLiteral("speed"));
    m_speed->setRange(0, kSpeedPositions);
    m_speed->setValue(kDefaultSpeedPosition);
    m_speed->setToolTip(tr("Epochs per second while playing"));
    m_speedLabel = new QLabel(box);
    m_speedLabel->setMinimumWidth(QFontMetrics(controlFont()).horizontalAdvance(QStringLiteral("1000 /s")));

    // Two label-field pairs a row: narrow enough for a tabbed dock at the plot fonts' size.
    auto label = [box](const QString &text) { return new QLabel(text, box); };
    grid->addWidget(label(tr("Loss")), 0, 0);
    grid->addWidget(m_loss, 0, 1);
    grid->addWidget(m_zeroTemperature, 0, 2, 1, 2);
    grid->addWidget(label(tr("β")), 1, 0);
    grid->addWidget(m_beta, 1, 1);
    grid->addWidget(label(tr("Rate η")), 1, 2);
    grid->addWidget(m_learningRate, 1, 3);
    grid->addWidget(label(tr("Margin m")), 2, 0);
    grid->addWidget(m_margin, 2, 1);
    grid->addWidget(label(tr("Epochs")), 2, 2);
    grid->addWidget(m_epochs, 2, 3);
    grid->addWidget(label(tr("Negatives")), 3, 0);
    grid->addWidget(m_strategy, 3, 1);
    grid->addWidget(label(tr("per point")), 3, 2);
    grid->addWidget(m_negativeCount, 3, 3);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_play);
    buttons->addWidget(m_step);
    buttons->addWidget(m_reset);
    buttons->addSpacing(12);
    buttons->addWidget(label(tr("Speed")));
    buttons->addWidget(m_speed, 1);
    buttons->addWidget(m_speedLabel);
    grid->addLayout(buttons, 4, 0, 1, 4);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);

    connect(m_play, &QPushButton::clicked, this, &TrainingPanel::togglePlay);
    connect(m_step, &QPushButton::clicked, this, &TrainingPanel::stepOnce);
    connect(m_reset, &QPushButton::clicked, this, &TrainingPanel::resetRun);
    connect(m_speed, &QSlider::valueChanged, this, &TrainingPanel::applySpeed);
    connect(m_epochs, &QSpinBox::valueChanged, this, [this](int epochs) {
        m_epochLimit = epochs;
        m_worker->setEpochLimit(epochs);
    });
    connect(m_loss, &QComboBox::currentIndexChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_zeroTemperature, &QCheckBox::toggled, this, &TrainingPanel::onSettingsChanged);
    connect(m_beta, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_margin, &QDoubleSpinBox::valueChanged, this, [this](double margin) {
        onSettingsChanged();
        emit marginEdited(margin);
    });
    connect(m_negativeCount, &QSpinBox::valueChanged, this, &TrainingPanel::onSettingsChanged);
    return box;
}

void TrainingPanel::setMargin(double margin)
{
    {
        const QSignalBlocker blocker(m_margin);
        m_margin->setValue(margin);
    }
    onSettingsChanged();
}

bool TrainingPanel::usesMargin() const
{
    return lossUsesMargin(m_config.loss.kind);
}

void TrainingPanel::applySpeed()
{
    const double eps = speedAt(m_speed->value());
    m_speedLabel->setText(speedText(eps));
    m_worker->setSpeed(eps);
}

void TrainingPanel::updatePlayButton()
{
    m_play->setText(m_playing ? QStringLiteral("⏸ Pause") : QStringLiteral("▶ Play"));
}

void TrainingPanel::updateEnabledControls()
{
    const auto kind = LossKind(m_loss->currentData().toInt());
    m_beta->setEnabled(!m_zeroTemperature->isChecked());
    m_margin->setEnabled(lossUsesMargin(kind));
    m_strategy->setEnabled(lossUsesNegatives(kind));
    m_negativeCount->setEnabled(lossUsesNegatives(kind));
}

void TrainingPanel::onSettingsChanged()
{
    updateEnabledControls();
    TrainingConfig config = m_config;
    config.loss.kind = LossKind(m_loss->currentData().toInt());
    config.loss.beta = m_zeroTemperature->isChecked() ? kInfiniteBeta : m_beta->value();
    config.loss.margin = m_margin->value();
    config.learningRate = m_learningRate->value();
    config.negatives.strategy = NegativeStrategy(m_strategy->currentData().toInt());
    config.negatives.count = m_negativeCount->value();
    if (config == m_config)
        return;
    const bool landscapeChanged = config.loss != m_config.loss || config.negatives != m_config.negatives;
    m_config = config;
    emit configChanged();
    if (!m_haveProblem)
        return;
    m_worker->setConfig(m_config);
    if (landscapeChanged)
        startLandscape();
}

} // namespace ebm
