// The training panel drives the model thread through its real buttons: step, play, pause, reset, the timeline and the
// landscape show exactly what the core computes, and closing it never waits for a run.
#include "mainwindow.h"
#include "math/dataset.h"
#include "math/landscaperange.h"
#include "math/trainer.h"
#include "plotstyle.h"
#include "trainingpanel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>
#include <memory>

using namespace ebm;

Q_DECLARE_METATYPE(ebm::EllipseParams)

class TestTrainingPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void singleStepsMatchTheTrainer();
    void playAndPauseFollowTheRun();
    void resetReturnsToTheStart();
    void scrubbingEmitsThatEpochsW();
    void landscapeFillsOffTheGuiThread();
    void landscapeRangeFollowsThePath();
    void marginIsTheLabsOne();
    void controlsUsePlotFontsAndScale();
    void spaceTogglesPlay();
    void destroyingWhilePlayingIsFast();
    void screenshot();
    void screenshotPresentation();

private:
    static std::vector<Vec2> lectureData() { return ellipseSamples(DatasetSpec{}); }
    static void setLectureProblem(TrainingPanel &panel)
    {
        panel.setProblem(lectureData(), LatentSpec::sampled(48), EllipseParams{1.0, 1.0});
        QTRY_COMPARE_WITH_TIMEOUT(panel.epochCount(), 1, 5000);
    }
    template<typename T>
    static T *child(const TrainingPanel &panel, const char *name)
    {
        T *widget = panel.findChild<T *>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }
    static void click(const TrainingPanel &panel, const char *button)
    {
        QTest::mouseClick(child<QPushButton>(panel, button), Qt::LeftButton);
    }
    static void selectLoss(const TrainingPanel &panel, const QString &name)
    {
        auto *box = child<QComboBox>(panel, "loss");
        box->setCurrentIndex(box->findText(name));
        QCOMPARE(box->currentText(), name);
    }
    static std::vector<EllipseParams> path(const TrainingPanel &panel)
    {
        std::vector<EllipseParams> w{panel.config().init};
        for (const TracePoint &row : panel.trace())
            w.push_back(row.w);
        return w;
    }
    static void takeScreenshot(double scale, const QString &name);
    static EllipseParams lastEmitted(const QSignalSpy &spy) { return spy.last().at(0).value<EllipseParams>(); }
};

void TestTrainingPanel::initTestCase()
{
    qRegisterMetaType<ebm::EllipseParams>();
}

void TestTrainingPanel::singleStepsMatchTheTrainer()
{
    TrainingPanel panel;
    setLectureProblem(panel);
    constexpr int kSteps = 6;
    for (int i = 0; i < kSteps; ++i)
        click(panel, "step");
    QTRY_COMPARE_WITH_TIMEOUT(panel.epochCount(), kSteps + 1, 10000);
    QVERIFY(!panel.isPlaying());

    // The same data and configuration give a bit-identical trace.
    TrainingRun reference(lectureData(), panel.config());
    QCOMPARE(reference.run(kSteps), kSteps);
    const QVector<double> drawn = panel.lossCurve();
    QCOMPARE(drawn.size(), qsizetype(kSteps + 1));
    for (int k = 0; k <= kSteps; ++k) {
        QCOMPARE(drawn[k], reference.trace()[size_t(k)].loss);
        QCOMPARE(panel.trace()[size_t(k)], reference.trace()[size_t(k)]);
    }
    // Energy training from (1, 1) goes downhill.
    QVERIFY(drawn.last() < drawn.first());
}

void TestTrainingPanel::playAndPauseFollowTheRun()
{
    TrainingPanel panel;
    setLectureProblem(panel);
    QSignalSpy spy(&panel, &TrainingPanel::parametersChanged);
    click(panel, "play");
    QVERIFY(panel.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(panel.epochCount() > 5, 10000);
    click(panel, "play"); // the same button pauses
    QVERIFY(!panel.isPlaying());
    // Pausing completes the epoch in progress and reports it; then nothing more arrives.
    QTRY_VERIFY_WITH_TIMEOUT(panel.runState() == TrainingState::Paused, 5000);
    QVERIFY(!spy.isEmpty());
    const int paused = panel.epochCount();
    QTest::qWait(200);
    QCOMPARE(panel.epochCount(), paused);
    QCOMPARE(lastEmitted(spy), panel.trace().back().w);
    QCOMPARE(panel.shownEpoch(), paused - 1);

    TrainingRun reference(lectureData(), panel.config());
    reference.run(paused - 1);
    QCOMPARE(panel.trace().back(), reference.current());
    QCOMPARE(panel.lossCurve().size(), qsizetype(paused));
}

void TestTrainingPanel::resetReturnsToTheStart()
{
    TrainingPanel panel;
    setLectureProblem(panel);
    for (int i = 0; i < 4; ++i)
        click(panel, "step");
    QTRY_COMPARE_WITH_TIMEOUT(panel.epochCount(), 5, 10000);
    QSignalSpy spy(&panel, &TrainingPanel::parametersChanged);
    click(panel, "reset");
    QTRY_VERIFY_WITH_TIMEOUT(panel.epochCount() == 1 && !spy.isEmpty(), 5000);
    QCOMPARE(panel.trace().front().epoch, 0);
    QCOMPARE(panel.trace().front().w, (EllipseParams{1.0, 1.0}));
    QCOMPARE(lastEmitted(spy), (EllipseParams{1.0, 1.0}));
    QCOMPARE(panel.lossCurve().size(), qsizetype(1));
    QCOMPARE(child<QSlider>(panel, "timeline")->maximum(), 0);
    // ... and the same steps again give the same trace.
    for (int i = 0; i < 4; ++i)
        click(panel, "step");
    QTRY_COMPARE_WITH_TIMEOUT(panel.epochCount(), 5, 10000);
    TrainingRun reference(lectureData(), panel.config());
    reference.run(4);
    QCOMPARE(panel.trace(), reference.trace());
}

void TestTrainingPanel::scrubbingEmitsThatEpochsW()
{
    TrainingPanel panel;
    setLectureProblem(panel);
    for (int i = 0; i < 10; ++i)
        click(panel, "step");
    QTRY_COMPARE_WITH_TIMEOUT(panel.epochCount(), 11, 10000);
    QSlider *timeline = child<QSlider>(panel, "timeline");
    QCOMPARE(timeline->maximum(), 10);
    QCOMPARE(timeline->value(), 10);

    QSignalSpy spy(&panel, &TrainingPanel::parametersChanged);
    for (int epoch : {3, 0, 7}) {
        timeline->setValue(epoch);
        QCOMPARE(lastEmitted(spy), panel.trace()[size_t(epoch)].w);
        QCOMPARE(panel.shownEpoch(), epoch);
    }
    // A new step while scrubbed back keeps the trace growing and follows the newest epoch again.
    click(panel, "step");
    QTRY_COMPARE_WITH_TIMEOUT(panel.epochCount(), 12, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(lastEmitted(spy), panel.trace().back().w, 5000);
    QCOMPARE(panel.shownEpoch(), 11);
}

void TestTrainingPanel::landscapeFillsOffTheGuiThread()
{
    TrainingPanel panel;
    QSignalSpy spy(&panel, &TrainingPanel::landscapeUpdated);
    setLectureProblem(panel);
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasLandscape(), 20000);
    const QVector<double> values = panel.landscapeValues();
    constexpr int n = TrainingPanel::kLandscapeCells;
    QCOMPARE(values.size(), qsizetype(n * n));

    // The lecture's data from (1, 1): the range is the lecture's [0, 3]^2 (see tst_landscaperange).
    const WRange range = panel.landscapeRange();
    QCOMPARE(range, (WRange{0.0, 3.0}));
    // The drawn values are the core's dataset loss, L_0(w) on the grid w = lower + (i, j) * step.
    const TrainingRun run(lectureData(), panel.config());
    const double step = (range.upper - range.lower) / (n - 1);
    for (auto [i, j] : {std::pair{0, 0}, std::pair{20, 10}, std::pair{27, 20}, std::pair{40, 40}}) {
        const EllipseParams w{range.lower + i * step, range.lower + j * step};
        QCOMPARE(values[j * n + i], run.evaluate(w, 0)->value);
    }
    // Zero-temperature energy: the valley is at the generating w = (2, 1.5), to within the grid step and the noise.
    const auto lowest = std::min_element(values.begin(), values.end()) - values.begin();
    const double w1 = range.lower + double(lowest % n) * step;
    const double w2 = range.lower + double(lowest / n) * step;
    QVERIFY2(std::abs(w1 - 2.0) <= 2 * step && std::abs(w2 - 1.5) <= 2 * step,
             qPrintable(QStringLiteral("argmin (%1, %2)").arg(w1).arg(w2)));

    // Another loss gives another landscape.
    spy.clear();
    child<QComboBox>(panel, "loss")->setCurrentIndex(1); // hinge
    QVERIFY(!panel.hasLandscape());
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasLandscape() && !spy.isEmpty(), 20000);
    QVERIFY(panel.landscapeValues() != values);
}

void TestTrainingPanel::landscapeRangeFollowsThePath()
{
    TrainingPanel panel;
    setLectureProblem(panel);
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasLandscape(), 20000);
    QCOMPARE(panel.landscapeRange(), (WRange{0.0, 3.0}));
    // eta = 2.5 overshoots: w1 - 2 is multiplied by about -1.5 each epoch (w1 = 3.44 at epoch 1, w2 < 0 at epoch 2).
    child<QDoubleSpinBox>(panel, "learningRate")->setValue(2.5);
    bool grew = false;
    for (int k = 1; k <= 5; ++k) {
        click(panel, "step");
        QTRY_COMPARE_WITH_TIMEOUT(panel.epochCount(), k + 1, 10000);
        // The range is the rule's for the whole path, so every epoch's w is on the landscape.
        const WRange range = panel.landscapeRange();
        QCOMPARE(range, landscapeRange(lectureData(), path(panel)));
        for (const TracePoint &row : panel.trace())
            QVERIFY(range.contains(row.w));
        grew = grew || !(range == WRange{0.0, 3.0});
    }
    QVERIFY(grew);
    QVERIFY(panel.landscapeRange().lower < 0.0); // w2 went negative
    // The landscape is recomputed over the new range: its values are L_0 on the new grid.
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasLandscape(), 20000);
    const WRange range = panel.landscapeRange();
    const int n = TrainingPanel::kLandscapeCells;
    const double step = (range.upper - range.lower) / (n - 1);
    const TrainingRun run(lectureData(), panel.config());
    const QVector<double> values = panel.landscapeValues();
    for (auto [i, j] : {std::pair{0, 0}, std::pair{13, 31}, std::pair{40, 40}})
        QCOMPARE(values[j * n + i], run.evaluate({range.lower + i * step, range.lower + j * step}, 0)->value);
    // The plot's axes show that range (half a cell more each side: the cells are centred on the grid).
    QVERIFY(std::abs(panel.landscapePlot()->xAxis->range().lower - (range.lower - step / 2)) < 1e-12);
    QVERIFY(std::abs(panel.landscapePlot()->yAxis->range().upper - (range.upper + step / 2)) < 1e-12);

    // Scrubbing keeps it: same range, no new landscape.
    QSignalSpy landscapes(&panel, &TrainingPanel::landscapeUpdated);
    QSlider *timeline = child<QSlider>(panel, "timeline");
    for (int epoch : {0, 3, 1, 5}) {
        timeline->setValue(epoch);
        QCOMPARE(panel.landscapeRange(), range);
        QVERIFY(panel.hasLandscape());
    }
    QTest::qWait(100);
    QVERIFY(landscapes.isEmpty());
    // A reset starts over from the problem's own range.
    click(panel, "reset");
    QTRY_VERIFY_WITH_TIMEOUT(panel.epochCount() == 1 && panel.landscapeRange() == (WRange{0.0, 3.0}), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasLandscape(), 20000);
}

void TestTrainingPanel::marginIsTheLabsOne()
{
    MainWindow window;
    TrainingPanel *panel = window.trainingPanel();
    auto *margin = child<QDoubleSpinBox>(*panel, "margin");
    QCOMPARE(margin->value(), window.state().margin);
    QVERIFY(!window.state().layers.marginLevel);
    QTRY_VERIFY_WITH_TIMEOUT(!window.displayedJob().marginLine, 10000);

    // A margin loss draws its level F = m on the plane, at the training panel's m.
    selectLoss(*panel, QStringLiteral("hinge"));
    QVERIFY(panel->usesMargin());
    margin->setValue(0.7);
    QCOMPARE(window.state().margin, 0.7); // the one margin of the lab
    QCOMPARE(panel->config().loss.margin, 0.7);
    QTRY_VERIFY_WITH_TIMEOUT(window.displayedJob().marginLine && window.displayedJob().margin == 0.7, 10000);

    // Editing it elsewhere (Parameters edit the state) changes the panel's m, and what it trains with.
    LabState s = window.state();
    s.margin = 1.6;
    window.editState(s);
    QCOMPARE(margin->value(), 1.6);
    QCOMPARE(panel->config().loss.margin, 1.6);
    QTRY_VERIFY_WITH_TIMEOUT(window.displayedJob().margin == 1.6, 10000);
    // Undo takes both back.
    window.undoStack()->undo();
    QCOMPARE(window.state().margin, 0.7);
    QCOMPARE(margin->value(), 0.7);
    QCOMPARE(panel->config().loss.margin, 0.7);

    // Without a margin loss (and without the layer) the level is not drawn; the layer alone draws it.
    selectLoss(*panel, QStringLiteral("log"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.displayedJob().marginLine, 10000);
    s = window.state();
    s.layers.marginLevel = true;
    window.editState(s);
    QTRY_VERIFY_WITH_TIMEOUT(window.displayedJob().marginLine && window.displayedJob().margin == 0.7, 10000);
}

void TestTrainingPanel::controlsUsePlotFontsAndScale()
{
    QWidget window;
    auto *panel = new TrainingPanel(&window);
    auto *loss = child<QComboBox>(*panel, "loss");
    auto *readout = child<QLabel>(*panel, "readout");
    auto *play = child<QPushButton>(*panel, "play");
    const QFont tick = panel->lossPlot()->xAxis->tickLabelFont();
    // The controls share the plots' family and read at nearly the size of their tick labels.
    QCOMPARE(loss->font().family(), tick.family());
    QVERIFY2(loss->font().pointSizeF() >= 0.9 * tick.pointSizeF(),
             qPrintable(QString::number(loss->font().pointSizeF())));
    QCOMPARE(play->font().family(), tick.family());
    QCOMPARE(play->font().pointSizeF(), loss->font().pointSizeF());
    const double control = loss->font().pointSizeF(), label = readout->font().pointSizeF(), ticks = tick.pointSizeF(),
                 spin = child<QDoubleSpinBox>(*panel, "margin")->font().pointSizeF();
    QCOMPARE(spin, control);

    // Presentation mode scales everything once: controls, labels and plots by the same factor; and back.
    plotstyle::scaleWidgetTree(&window, 1.5);
    QCOMPARE(loss->font().pointSizeF(), 1.5 * control);
    QCOMPARE(child<QDoubleSpinBox>(*panel, "margin")->font().pointSizeF(), 1.5 * spin);
    QCOMPARE(play->font().pointSizeF(), 1.5 * control);
    QCOMPARE(readout->font().pointSizeF(), 1.5 * label);
    QCOMPARE(panel->lossPlot()->xAxis->tickLabelFont().pointSizeF(), 1.5 * ticks);
    plotstyle::scaleWidgetTree(&window, 1.0 / 1.5);
    QCOMPARE(loss->font().pointSizeF(), control);
    QCOMPARE(readout->font().pointSizeF(), label);
}

void TestTrainingPanel::spaceTogglesPlay()
{
    TrainingPanel panel;
    panel.resize(700, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    setLectureProblem(panel);
    panel.activateWindow();
    child<QSlider>(panel, "timeline")->setFocus();
    QTest::keyClick(child<QSlider>(panel, "timeline"), Qt::Key_Space);
    QVERIFY(panel.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(panel.epochCount() > 2, 10000);
    QTest::keyClick(child<QSlider>(panel, "timeline"), Qt::Key_Space);
    QVERIFY(!panel.isPlaying());
}

void TestTrainingPanel::destroyingWhilePlayingIsFast()
{
    auto panel = std::make_unique<TrainingPanel>();
    setLectureProblem(*panel);
    QSlider *speed = child<QSlider>(*panel, "speed");
    speed->setValue(speed->maximum());                    // as fast as it computes
    child<QComboBox>(*panel, "loss")->setCurrentIndex(5); // NLL: the slowest epochs, and a landscape in progress
    click(*panel, "play");
    QTRY_VERIFY_WITH_TIMEOUT(panel->epochCount() > 3, 10000);
    QElapsedTimer timer;
    timer.start();
    panel.reset();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
}

void TestTrainingPanel::screenshot()
{
    takeScreenshot(1.0, QStringLiteral("trainingpanel.png"));
}

void TestTrainingPanel::screenshotPresentation()
{
    takeScreenshot(1.5, QStringLiteral("trainingpanel_presentation.png"));
}

void TestTrainingPanel::takeScreenshot(double scale, const QString &name)
{
    const QString dir = qEnvironmentVariable("EBM_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set EBM_SCREENSHOT_DIR to save a screenshot");
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *panel = new TrainingPanel(&window);
    layout->addWidget(panel);
    if (scale != 1.0)
        plotstyle::scaleWidgetTree(&window, scale);
    window.resize(int(560 * scale), int(820 * scale)); // about the width of the tabbed dock
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    child<QSpinBox>(*panel, "epochs")->setValue(40);
    selectLoss(*panel, QStringLiteral("hinge"));
    child<QComboBox>(*panel, "negatives")->setCurrentIndex(2); // most offending
    setLectureProblem(*panel);
    QSlider *speed = child<QSlider>(*panel, "speed");
    speed->setValue(speed->maximum());
    click(*panel, "play");
    QTRY_VERIFY_WITH_TIMEOUT(panel->epochCount() == 41 && !panel->isPlaying(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(panel->hasLandscape(), 20000);
    QTest::qWait(100); // let the queued replots paint
    QVERIFY(window.grab().save(QDir(dir).filePath(name)));
}

QTEST_MAIN(TestTrainingPanel)
#include "tst_trainingpanel.moc"
