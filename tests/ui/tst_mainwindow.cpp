// The first window: what the heatmap shows is the core's field for the displayed job, newest request wins.
#include "fuzzycompare.h"
#include "mainwindow.h"
#include "math/field.h"
#include "observationplane.h"
#include "parameterpanel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>

#include <QDebug>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace ebm;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void viewSettlesAfterShow();
    void showsTheDefaultFreeEnergy();
    void newestRequestWins();
    void closesDuringComputation();
    void grabIsNotBlank();
    void controlsReachTheHeatmap_data();
    void controlsReachTheHeatmap();
    void rapidSliderChangesEndOnTheLast();
    void guiThreadStaysResponsiveDuringSweep();
    void lessonsSetUpTheirFigures_data();
    void lessonsSetUpTheirFigures();
    void presentationModeEnlargesAndRestores();
    void pageKeysStepThroughLessons();

private:
    static void compareWithCore(const MainWindow &window);
};

namespace {

// Waits until the heatmap shows the field of the window's current state.
bool waitForCurrentField(MainWindow &window)
{
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    const LabState &s = window.state();
    auto current = [&] {
        const FieldJob &job = window.displayedJob();
        return job.request.kind == s.field && job.request.beta == s.effectiveBeta() && job.w == s.w &&
               job.latents == s.latents() &&
               window.plane()->displayedGridSize() == QSize(job.grid.nx, job.grid.ny); // not the default job
    };
    QElapsedTimer timer;
    timer.start();
    while (!current() && timer.elapsed() < 30000)
        applied.wait(200);
    return current();
}

} // namespace

void TestMainWindow::compareWithCore(const MainWindow &window)
{
    const FieldJob &job = window.displayedJob();
    const QSize size = window.plane()->displayedGridSize();
    QCOMPARE(size, QSize(job.grid.nx, job.grid.ny));
    const EllipseEbm model(job.w, job.latents);
    // Every 7th cell in both directions: the values on screen are the core's, exactly.
    for (int j = 0; j < job.grid.ny; j += 7) {
        for (int i = 0; i < job.grid.nx; i += 7) {
            const Vec2 y(job.grid.y1At(i), job.grid.y2At(j));
            QCOMPARE(window.plane()->displayedValue(i, j), fieldValue(model, job.request, y));
        }
    }
}

void TestMainWindow::viewSettlesAfterShow()
{
    // Layout, colour-bar margins and equal aspect feed each other; they must come to rest, not ping-pong.
    MainWindow window;
    QSignalSpy ranges(window.plane(), &ObservationPlane::visibleRangeChanged);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(1500);
    const qsizetype settled = ranges.size();
    QTest::qWait(1000);
    for (const QList<QVariant> &r : ranges)
        qInfo() << "visible range" << r.first().toRectF();
    QCOMPARE(ranges.size(), settled);
    QVERIFY(settled < 10);
}

void TestMainWindow::showsTheDefaultFreeEnergy()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(applied.wait(20000));
    while (applied.wait(500)) {
    } // the resize on show may have asked for a larger range
    const FieldJob &job = window.displayedJob();
    QCOMPARE(job.request.kind, FieldKind::FreeEnergy);
    QCOMPARE(job.w.w1, 2.0);
    QCOMPARE(job.w.w2, 1.5);
    QCOMPARE(job.latents.count(), 48);
    QCOMPARE(window.data().size(), size_t(24));
    // The grid covers at least the lecture's [-3, 3]^2.
    QVERIFY(job.grid.x0 <= -3.0 && job.grid.x1 >= 3.0 && job.grid.y0 <= -3.0 && job.grid.y1 >= 3.0);
    compareWithCore(window);
}

void TestMainWindow::newestRequestWins()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    // 200 changes of two parameters at once, as fast as the GUI thread can make them.
    LabState s = window.state();
    s.resolution = 200;
    for (int k = 0; k < 200; ++k) {
        s.beta = std::pow(10.0, -2.0 + 4.0 * k / 199.0);
        s.w.w1 = 1.0 + k / 199.0;
        window.setState(s);
    }
    QVERIFY(waitForCurrentField(window));
    QTest::qWait(300); // anything stale would arrive now
    QCOMPARE(window.displayedJob().request.beta, s.beta);
    QCOMPARE(window.displayedJob().w.w1, 2.0);
    quint64 lastGeneration = 0;
    for (const QList<QVariant> &signal : applied) { // generations only grow: nothing older after newer
        const quint64 generation = signal.first().toULongLong();
        QVERIFY(generation > lastGeneration);
        lastGeneration = generation;
    }
    compareWithCore(window);
}

void TestMainWindow::closesDuringComputation()
{
    // A slow field (continuous latent, large grid) in progress must not hold up destruction.
    auto *window = new MainWindow;
    FieldJob job;
    job.latents = LatentSpec::continuous();
    job.grid = Grid{-3, 3, -3, 3, 1500, 1500};
    window->requestField(job);
    QTest::qWait(50);
    QElapsedTimer timer;
    timer.start();
    delete window;
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QStringLiteral("closing took %1 ms").arg(timer.elapsed())));
}

void TestMainWindow::grabIsNotBlank()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    window.show();
    QVERIFY(applied.wait(20000));
    QTest::qWait(100); // the queued replot
    const QImage image = window.plane()->grab().toImage();
    QVERIFY(!image.isNull());
    // A heatmap has many colours; a blank or failed plot has a handful.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 200, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));
}

void TestMainWindow::controlsReachTheHeatmap_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<double>("value");
    QTest::newRow("beta box") << "beta" << 3.7;
    QTest::newRow("w1") << "w1" << 1.3;
    QTest::newRow("w2") << "w2" << -0.8;
    QTest::newRow("latents") << "latents" << 7.0;
    QTest::newRow("zero temperature") << "cold" << 1.0;
    QTest::newRow("continuous") << "continuous" << 1.0;
}

void TestMainWindow::controlsReachTheHeatmap()
{
    QFETCH(QString, control);
    QFETCH(double, value);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(waitForCurrentField(window));
    ParameterPanel *p = window.parameterPanel();
    // As a person would: through the widgets, not the state.
    if (control == QLatin1String("beta"))
        p->betaBox()->setValue(value);
    else if (control == QLatin1String("w1"))
        p->w1Box()->setValue(value);
    else if (control == QLatin1String("w2"))
        p->w2Box()->setValue(value);
    else if (control == QLatin1String("latents"))
        p->latentsBox()->setValue(static_cast<int>(value));
    else if (control == QLatin1String("cold"))
        QTest::mouseClick(p->zeroTemperatureBox(), Qt::LeftButton, {},
                          QPoint(5, p->zeroTemperatureBox()->height() / 2));
    else if (control == QLatin1String("continuous"))
        QTest::mouseClick(p->continuousBox(), Qt::LeftButton, {}, QPoint(5, p->continuousBox()->height() / 2));
    const LabState &s = window.state();
    if (control == QLatin1String("beta"))
        QCOMPARE(s.beta, value);
    if (control == QLatin1String("w1"))
        QCOMPARE(s.w.w1, value);
    if (control == QLatin1String("w2"))
        QCOMPARE(s.w.w2, value);
    if (control == QLatin1String("latents"))
        QCOMPARE(s.latentCount, 7);
    if (control == QLatin1String("cold"))
        QVERIFY(s.zeroTemperature);
    if (control == QLatin1String("continuous"))
        QVERIFY(s.continuousLatent);
    QVERIFY(waitForCurrentField(window));
    compareWithCore(window);
}

void TestMainWindow::rapidSliderChangesEndOnTheLast()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    QSlider *slider = window.parameterPanel()->betaSlider();
    for (int k = 0; k < 200; ++k)
        slider->setValue(100 + (k * 37) % 400); // 200 moves, no waiting in between
    slider->setValue(450);
    QCOMPARE(window.state().beta, std::pow(10.0, 1.5));
    QVERIFY(waitForCurrentField(window));
    QTest::qWait(300); // anything stale would arrive now
    QCOMPARE(window.displayedJob().request.beta, std::pow(10.0, 1.5));
    quint64 last = 0;
    for (const QList<QVariant> &signal : applied) {
        QVERIFY(signal.first().toULongLong() > last);
        last = signal.first().toULongLong();
    }
    compareWithCore(window);
}

void TestMainWindow::guiThreadStaysResponsiveDuringSweep()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.resolution = 512;
    window.setState(s);
    QVERIFY(waitForCurrentField(window));

    // A 0 ms timer ticks whenever the event loop is free: the longest gap is how long the GUI froze.
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = clock.nsecsElapsed(), longestGap = 0;
    QTimer ticker;
    ticker.setInterval(0);
    connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        longestGap = std::max(longestGap, now - lastTick);
        lastTick = now;
    });
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    ticker.start();
    QElapsedTimer sweep;
    sweep.start();
    for (int step = 0; step <= 60; ++step) {
        s.beta = std::pow(10.0, -2.0 + 4.0 * step / 60.0);
        window.setState(s);
        QTest::qWait(16); // a slider dragged at display rate
    }
    QVERIFY(waitForCurrentField(window));
    ticker.stop();
    qInfo("beta sweep over a %dx%d field: %lld fields shown of 61 requested in %lld ms; longest event-loop gap "
          "%.1f ms",
          window.displayedJob().grid.nx, window.displayedJob().grid.ny, static_cast<long long>(applied.size()),
          static_cast<long long>(sweep.elapsed()), longestGap / 1e6);
    quint64 last = 0;
    for (const QList<QVariant> &signal : applied) {
        QVERIFY2(signal.first().toULongLong() > last, "a result arrived out of order");
        last = signal.first().toULongLong();
    }
}

void TestMainWindow::lessonsSetUpTheirFigures_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("field");
    QTest::addColumn<double>("beta");
    QTest::addColumn<bool>("arrows");
    QTest::addColumn<QString>("observation"); // "data0", "data12", "origin" or "keep"
    QTest::newRow("1 energy of one sample")
        << 0 << int(FieldKind::ZeroTemperature) << kInfiniteBeta << false << "data0";
    QTest::newRow("2 F_inf with arrows") << 1 << int(FieldKind::ZeroTemperature) << kInfiniteBeta << true << "keep";
    QTest::newRow("3a weights, data point") << 2 << int(FieldKind::FreeEnergy) << 1.0 << false << "data0";
    QTest::newRow("3b weights, another") << 3 << int(FieldKind::FreeEnergy) << 1.0 << false << "data12";
    QTest::newRow("3c weights, origin") << 4 << int(FieldKind::FreeEnergy) << 1.0 << false << "origin";
    QTest::newRow("4a warming 10") << 5 << int(FieldKind::FreeEnergy) << 10.0 << false << "keep";
    QTest::newRow("4b warming 1") << 6 << int(FieldKind::FreeEnergy) << 1.0 << false << "keep";
    QTest::newRow("4c warming 0.3") << 7 << int(FieldKind::FreeEnergy) << 0.3 << false << "keep";
    QTest::newRow("4d warming 0.03") << 8 << int(FieldKind::FreeEnergy) << 0.03 << false << "keep";
    QTest::newRow("5 cross-section") << 9 << int(FieldKind::FreeEnergy) << 1.0 << false << "keep";
}

void TestMainWindow::lessonsSetUpTheirFigures()
{
    QFETCH(int, index);
    QFETCH(int, field);
    QFETCH(double, beta);
    QFETCH(bool, arrows);
    QFETCH(QString, observation);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.w = {1.0, 1.0}; // a lesson starts from the lecture's model whatever was set before
    s.latentCount = 12;
    window.setState(s);
    const Vec2 before = window.state().observation;
    QCOMPARE(int(window.lessons().size()), 12);
    window.applyLesson(index);
    const LabState &now = window.state();
    QCOMPARE(int(now.field), field);
    QCOMPARE(now.effectiveBeta(), beta);
    QCOMPARE(now.layers.arrows, arrows);
    QCOMPARE(now.w, EllipseParams{});
    QCOMPARE(now.latentCount, 48);
    if (observation == QLatin1String("data0"))
        QCOMPARE(now.observation, window.data().at(0));
    else if (observation == QLatin1String("data12"))
        QCOMPARE(now.observation, window.data().at(12));
    else if (observation == QLatin1String("origin"))
        QCOMPARE(now.observation, Vec2(0.0, 0.0));
    else
        QCOMPARE(now.observation, before);
    QVERIFY(window.lessonText().contains(window.lessons()[static_cast<size_t>(index)].title));
    QVERIFY(waitForCurrentField(window));
    compareWithCore(window);
    if (arrows)
        QVERIFY(window.plane()->arrowCount() > 50);
    // EBM_SCREENSHOT_DIR=dir keeps a picture of every lesson, to look at before calling UI work done.
    const QString dir = qEnvironmentVariable("EBM_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QTest::qWait(150); // the queued replots
        QVERIFY(window.grab().save(QStringLiteral("%1/lesson_%2.png").arg(dir).arg(index, 2, 10, QLatin1Char('0'))));
    }
}

void TestMainWindow::presentationModeEnlargesAndRestores()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCustomPlot *plot = window.plane()->plot();
    const double tickFont = plot->xAxis->tickLabelFont().pointSizeF();
    const double labelFont = plot->xAxis->labelFont().pointSizeF();
    const double windowFont = window.font().pointSizeF();
    QTest::keyClick(&window, Qt::Key_F11);
    QVERIFY(window.presentationMode());
    QVERIFY(window.isFullScreen());
    QCOMPARE(plot->xAxis->tickLabelFont().pointSizeF(), tickFont * 1.5);
    QCOMPARE(window.font().pointSizeF(), windowFont * 1.5);
    QTest::keyClick(&window, Qt::Key_F11);
    QVERIFY(!window.presentationMode());
    QVERIFY(!window.isFullScreen());
    QVERIFY(std::abs(plot->xAxis->labelFont().pointSizeF() - labelFont) < 1e-9);
    QVERIFY(std::abs(window.font().pointSizeF() - windowFont) < 1e-9);
}

void TestMainWindow::pageKeysStepThroughLessons()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.currentLesson(), -1);
    QTest::keyClick(&window, Qt::Key_PageDown);
    QCOMPARE(window.currentLesson(), 0);
    QTest::keyClick(&window, Qt::Key_PageDown);
    QTest::keyClick(&window, Qt::Key_PageDown);
    QCOMPARE(window.currentLesson(), 2);
    QVERIFY(window.lessonText().contains(window.lessons()[2].title));
    QTest::keyClick(&window, Qt::Key_PageUp);
    QCOMPARE(window.currentLesson(), 1);
    QVERIFY(window.state().layers.arrows); // lesson 2 is set up again
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
