// The training panel drives the model thread through its real buttons: step, play, pause, reset, the timeline and the
// landscape show exactly what the core computes, and closing it never waits for a run.
#include "math/dataset.h"
#include "math/trainer.h"
#include "trainingpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>

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
    void spaceTogglesPlay();
    void destroyingWhilePlayingIsFast();
    void screenshot();

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

    // The drawn values are the core's dataset loss, L_0(w) on the grid w = lower + (i, j) * step.
    const TrainingRun run(lectureData(), panel.config());
    const double step = (TrainingPanel::kWUpper - TrainingPanel::kWLower) / (n - 1);
    for (auto [i, j] : {std::pair{0, 0}, std::pair{20, 10}, std::pair{27, 20}, std::pair{40, 40}}) {
        const EllipseParams w{TrainingPanel::kWLower + i * step, TrainingPanel::kWLower + j * step};
        QCOMPARE(values[j * n + i], run.evaluate(w, 0)->value);
    }
    // Zero-temperature energy: the valley is at the generating w = (2, 1.5), to within the grid step and the noise.
    const auto lowest = std::min_element(values.begin(), values.end()) - values.begin();
    const double w1 = TrainingPanel::kWLower + double(lowest % n) * step;
    const double w2 = TrainingPanel::kWLower + double(lowest / n) * step;
    QVERIFY2(std::abs(w1 - 2.0) <= 2 * step && std::abs(w2 - 1.5) <= 2 * step,
             qPrintable(QStringLiteral("argmin (%1, %2)").arg(w1).arg(w2)));

    // Another loss gives another landscape.
    spy.clear();
    child<QComboBox>(panel, "loss")->setCurrentIndex(1); // hinge
    QVERIFY(!panel.hasLandscape());
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasLandscape() && !spy.isEmpty(), 20000);
    QVERIFY(panel.landscapeValues() != values);
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
    const QString dir = qEnvironmentVariable("EBM_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set EBM_SCREENSHOT_DIR to save a screenshot");
    TrainingPanel panel;
    panel.resize(700, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    child<QSpinBox>(panel, "epochs")->setValue(30);
    setLectureProblem(panel);
    QSlider *speed = child<QSlider>(panel, "speed");
    speed->setValue(speed->maximum());
    click(panel, "play");
    QTRY_VERIFY_WITH_TIMEOUT(panel.epochCount() == 31 && !panel.isPlaying(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(panel.hasLandscape(), 20000);
    QTest::qWait(100); // let the queued replots paint
    QVERIFY(panel.grab().save(QDir(dir).filePath(QStringLiteral("trainingpanel.png"))));
}

QTEST_MAIN(TestTrainingPanel)
#include "tst_trainingpanel.moc"
