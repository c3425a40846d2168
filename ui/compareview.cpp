#include "compareview.h"

#include "compareside.h"
#include "plotstyle.h"
#include "trainingchoices.h"

#include <QCheckBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace ebm {

using namespace trainingchoices;

namespace {

const QString kDefaultExplanation = QT_TRANSLATE_NOOP(
    "CompareView", "Two training runs on the same data from the same start w₀, advanced together epoch by epoch: "
                   "play, step and reset act on both, and the timeline scrubs both.");

//! The lecture's first comparison: zero temperature chases every point, marginalised training shrinks the ellipse.
std::array<TrainingConfig, 2> defaultConfigs()
{
    std::array<TrainingConfig, 2> configs;
    configs[0].loss.kind = LossKind::Energy;
    configs[0].loss.beta = kInfiniteBeta;
    configs[1].loss.kind = LossKind::Energy;
    configs[1].loss.beta = 0.5;
    return configs;
}

} // namespace

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_lockstep(new LockstepTraining(this))
{
    setObjectName(QStringLiteral("compareView"));
    setWindowTitle(tr("EBM Lab — compare training"));
    setAutoFillBackground(true);
    QPalette background = palette();
    background.setColor(QPalette::Window, Qt::white);
    setPalette(background);
    setFont(controlFont()); // the controls read at the plots' size; presentation mode scales it

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(8);
    m_explanation = new QLabel(tr(kDefaultExplanation.toUtf8().constData()), this);
    m_explanation->setObjectName(QStringLiteral("explanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setFont(plotstyle::font(14));
    m_explanation->setStyleSheet(QStringLiteral("QLabel { background: #1f2333; color: white; padding: 6px 12px; }"));
    layout->addWidget(m_explanation);

    auto *sides = new QHBoxLayout;
    sides->setSpacing(12);
    const std::array<TrainingConfig, 2> configs = defaultConfigs();
    for (int i = 0; i < LockstepTraining::kSides; ++i) {
        if (i > 0) {
            auto *line = new QFrame(this);
            line->setFrameShape(QFrame::VLine);
            line->setFrameShadow(QFrame::Plain);
            line->setStyleSheet(QStringLiteral("color: #c8c8d0;"));
            sides->addWidget(line);
        }
        auto *side = new CompareSide(i, this);
        side->setConfig(configs[size_t(i)]);
        m_sides[size_t(i)] = side;
        sides->addWidget(side, 1);
        // A comparison is of whole runs from the same start: a change restarts both.
        connect(side, &CompareSide::configEdited, this, [this, i](const TrainingConfig &config) {
            m_following = true;
            m_lockstep->setConfig(i, config);
        });
    }
    layout->addLayout(sides, 1);
    layout->addWidget(buildTransport());

    connect(m_lockstep, &LockstepTraining::advanced, this, &CompareView::onAdvanced);
    connect(m_lockstep, &LockstepTraining::restarted, this, &CompareView::onAdvanced);
    connect(m_lockstep, &LockstepTraining::playingChanged, this, &CompareView::updatePlayButton);
    connect(m_lockstep, &LockstepTraining::message, m_status, &QLabel::setText);

    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), this);
    space->setContext(Qt::WidgetWithChildrenShortcut);
    connect(space, &QShortcut::activated, this, &CompareView::togglePlay);

    applySpeed();
    m_lockstep->setEpochLimit(m_epochs->value());
    updatePlayButton();
    onAdvanced();
}

QWidget *CompareView::buildTransport()
{
    auto *box = new QWidget(this);
    auto *rows = new QVBoxLayout(box);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(4);

    auto *buttons = new QHBoxLayout;
    m_play = new QPushButton(box);
    m_play->setObjectName(QStringLiteral("play"));
    m_play->setToolTip(tr("Play / pause both runs (Space)"));
    m_step = new QPushButton(tr("Step"), box);
    m_step->setObjectName(QStringLiteral("step"));
    m_step->setToolTip(tr("Advance both runs by exactly one epoch"));
    m_reset = new QPushButton(tr("Reset"), box);
    m_reset->setObjectName(QStringLiteral("reset"));
    m_reset->setToolTip(tr("Both runs back to epoch 0 at the same start"));
    for (QPushButton *button : {m_play, m_step, m_reset}) {
        button->setFont(controlFont(true));
        buttons->addWidget(button);
    }
    m_play->setMinimumWidth(QFontMetrics(m_play->font()).horizontalAdvance(QStringLiteral("⏸ Pause")) + 28);
    buttons->addSpacing(16);
    buttons->addWidget(new QLabel(tr("Speed"), box));
    m_speed = new QSlider(Qt::Horizontal, box);
    m_speed->setObjectName(QStringLiteral("speed"));
    m_speed->setRange(0, kSpeedPositions);
    m_speed->setValue(kDefaultSpeedPosition);
    m_speed->setToolTip(tr("Common epochs per second while playing (the slower run sets the pace)"));
    m_speed->setMinimumWidth(160);
    buttons->addWidget(m_speed, 1);
    m_speedLabel = new QLabel(box);
    m_speedLabel->setMinimumWidth(QFontMetrics(controlFont()).horizontalAdvance(QStringLiteral("1000 /s")));
    buttons->addWidget(m_speedLabel);
    buttons->addSpacing(16);
    buttons->addWidget(new QLabel(tr("Epochs"), box));
    m_epochs = new QSpinBox(box);
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_epochs->setRange(1, 1000000);
    m_epochs->setValue(200);
    m_epochs->setToolTip(tr("Playing stops when both runs reach this epoch"));
    buttons->addWidget(m_epochs);
    buttons->addSpacing(16);
    m_heatmap = new QCheckBox(tr("heatmap of F"), box);
    m_heatmap->setObjectName(QStringLiteral("heatmap"));
    m_heatmap->setChecked(true);
    m_heatmap->setToolTip(tr("Each run's free energy under its manifold (F∞ at zero temperature, else F_β)"));
    buttons->addWidget(m_heatmap);
    buttons->addSpacing(16);
    m_status = new QLabel(box);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setStyleSheet(QStringLiteral("color: #8a2a10;"));
    buttons->addWidget(m_status, 2);
    rows->addLayout(buttons);

    auto *timelineRow = new QHBoxLayout;
    auto *epochLabel = new QLabel(tr("Epoch"), box);
    epochLabel->setFont(plotstyle::font(14, true));
    timelineRow->addWidget(epochLabel);
    m_timeline = new QSlider(Qt::Horizontal, box);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setRange(0, 0);
    m_timeline->setToolTip(tr("Scrub both runs back through their epochs"));
    timelineRow->addWidget(m_timeline, 1);
    m_timelineLabel = new QLabel(box);
    m_timelineLabel->setObjectName(QStringLiteral("timelineLabel"));
    m_timelineLabel->setFont(plotstyle::font(14));
    m_timelineLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_timelineLabel->setMinimumWidth(QFontMetrics(m_timelineLabel->font()).horizontalAdvance("00000 / 00000"));
    timelineRow->addWidget(m_timelineLabel);
    rows->addLayout(timelineRow);

    connect(m_play, &QPushButton::clicked, this, &CompareView::togglePlay);
    connect(m_step, &QPushButton::clicked, this, &CompareView::stepOnce);
    connect(m_reset, &QPushButton::clicked, this, &CompareView::resetRuns);
    connect(m_speed, &QSlider::valueChanged, this, &CompareView::applySpeed);
    connect(m_epochs, &QSpinBox::valueChanged, m_lockstep, &LockstepTraining::setEpochLimit);
    connect(m_heatmap, &QCheckBox::toggled, this, [this](bool on) {
        for (CompareSide *side : m_sides)
            side->setHeatmapVisible(on);
    });
    connect(m_timeline, &QSlider::valueChanged, this, &CompareView::onTimelineMoved);
    return box;
}

void CompareView::setProblem(const std::vector<Vec2> &data, const LatentSpec &latents, const EllipseParams &start)
{
    m_haveProblem = true;
    m_following = true;
    m_status->clear();
    for (CompareSide *side : m_sides)
        side->setData(data);
    m_lockstep->load(data, latents, start, {m_sides[0]->config(), m_sides[1]->config()});
    for (int i = 0; i < LockstepTraining::kSides; ++i)
        m_sides[size_t(i)]->setConfig(m_lockstep->config(i)); // with the shared start and latents
}

void CompareView::applyPreset(const ComparePreset &preset)
{
    m_explanation->setText(preset.explanation.isEmpty() ? tr(kDefaultExplanation.toUtf8().constData())
                                                        : preset.explanation);
    m_epochs->setValue(preset.epochs);
    m_heatmap->setChecked(preset.heatmap);
    for (int i = 0; i < LockstepTraining::kSides; ++i)
        m_sides[size_t(i)]->setConfig(preset.configs[size_t(i)]);
    if (m_haveProblem)
        setProblem(m_lockstep->data(), m_lockstep->config(0).latents, m_lockstep->config(0).init);
}

int CompareView::shownEpoch() const
{
    return m_timeline->value();
}

QString CompareView::explanation() const
{
    return m_explanation->text();
}

void CompareView::togglePlay()
{
    if (!m_haveProblem)
        return;
    if (m_lockstep->isPlaying()) {
        m_lockstep->pause();
    } else {
        m_following = true;
        onAdvanced();
        m_lockstep->play();
    }
}

void CompareView::stepOnce()
{
    m_following = true;
    m_lockstep->step();
}

void CompareView::resetRuns()
{
    m_following = true;
    m_status->clear();
    m_lockstep->reset();
}

void CompareView::onAdvanced()
{
    const int common = std::max(0, m_lockstep->commonEpoch());
    {
        const QSignalBlocker blocker(m_timeline);
        m_timeline->setMaximum(common);
        if (m_following)
            m_timeline->setValue(common);
    }
    showEpoch(m_timeline->value());
}

void CompareView::onTimelineMoved(int epoch)
{
    // Scrubbed back, both sides show that epoch until play, step or the end of the timeline.
    m_following = epoch >= m_timeline->maximum();
    showEpoch(epoch);
}

void CompareView::showEpoch(int epoch)
{
    const int common = m_lockstep->commonEpoch();
    for (int i = 0; i < LockstepTraining::kSides; ++i) {
        m_sides[size_t(i)]->showRun(m_lockstep->trace(i), m_lockstep->pairs(i, epoch), common, epoch,
                                    m_lockstep->divergence(i));
    }
    m_timelineLabel->setText(QStringLiteral("%1 / %2").arg(epoch).arg(std::max(0, common)));
}

void CompareView::applySpeed()
{
    const double eps = speedAt(m_speed->value());
    m_speedLabel->setText(speedText(eps));
    m_lockstep->setSpeed(eps);
}

void CompareView::updatePlayButton()
{
    m_play->setText(m_lockstep->isPlaying() ? QStringLiteral("⏸ Pause") : QStringLiteral("▶ Play"));
}

} // namespace ebm
