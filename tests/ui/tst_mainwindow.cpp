// The first window: what the heatmap shows is the core's field for the displayed job, newest request wins.
#include "fuzzycompare.h"
#include "mainwindow.h"
#include "math/field.h"
#include "observationplane.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace ebm;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void showsTheDefaultFreeEnergy();
    void newestRequestWins();
    void closesDuringComputation();
    void grabIsNotBlank();

private:
    static void compareWithCore(const MainWindow &window);
};

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
    FieldJob job;
    job.grid = Grid{-3, 3, -3, 3, 161, 161};
    quint64 lastGeneration = 0;
    for (int k = 0; k < 200; ++k) {
        job.request.beta = std::pow(10.0, -2.0 + 4.0 * k / 199.0);
        job.w.w1 = 1.0 + k / 199.0;
        window.requestField(job);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!applied.isEmpty() && window.displayedJob().request.beta == job.request.beta, 30000);
    // Generations only grow: no older result was applied after a newer one.
    for (const QList<QVariant> &signal : applied) {
        const quint64 generation = signal.first().toULongLong();
        QVERIFY(generation > lastGeneration);
        lastGeneration = generation;
    }
    QCOMPARE(window.displayedJob().w.w1, 2.0);
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
