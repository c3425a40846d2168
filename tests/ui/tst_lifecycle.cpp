// Closing the window in the middle of heavy work (a slow field, a training run, a long beta-sweep export) is over
// within a second and leaves no thread behind; a data set that fails to load changes nothing.
#include "lifecycleprobes.h"
#include "mainwindow.h"
#include "math/fastfield.h"
#include "math/parallelblocks.h"
#include "trainingpanel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QTimer>
#include <QUndoStack>

#include <memory>

using namespace ebm;
using namespace ebmtest;

class TestLifecycle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void closingDuringHeavyWork_data();
    void closingDuringHeavyWork();
    void closingDuringASweepExport();
    void failedDatasetChangesNothing_data();
    void failedDatasetChangesNothing();
    void loadedDatasetIsShownAndTrained();

private:
    QStringList m_threadsBefore;
};

namespace {

//! The lecture's slowest settings: continuous latent, finest grid; optionally a run playing at full speed.
void startHeavyWork(MainWindow &window, bool field, bool training)
{
    if (field) {
        LabState s = window.state();
        s.continuousLatent = true;
        s.resolution = 800;
        s.beta = 0.05;
        window.editState(s);
    }
    if (training) {
        auto *speed = window.trainingPanel()->findChild<QSlider *>(QStringLiteral("speed"));
        speed->setValue(speed->maximum());
        window.trainingPanel()->findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(1000000);
        window.trainingPanel()->togglePlay();
    }
}

//! Closes and deletes \a window as the application does at quit; returns how long that took in ms.
qint64 closeAndDelete(std::unique_ptr<MainWindow> &window)
{
    QElapsedTimer timer;
    timer.start();
    window->close();
    window.reset();
    return timer.elapsed();
}

} // namespace

void TestLifecycle::initTestCase()
{
    // The core's helper threads live for the process: started before counting.
    evaluateFieldFast(EllipseEbm(EllipseParams{2.0, 1.5}, LatentSpec::sampled(48)), FieldRequest{},
                      Grid{-1, 1, -1, 1, 64, 64}, hardwareThreads());
    m_threadsBefore = threadNames();
}

void TestLifecycle::closingDuringHeavyWork_data()
{
    QTest::addColumn<bool>("field");
    QTest::addColumn<bool>("training");
    QTest::newRow("field computation") << true << false;
    QTest::newRow("training run") << false << true;
    QTest::newRow("both") << true << true;
}

void TestLifecycle::closingDuringHeavyWork()
{
    QFETCH(bool, field);
    QFETCH(bool, training);
    auto window = std::make_unique<MainWindow>();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    startHeavyWork(*window, field, training);
    QTest::qWait(300); // well inside the work: a continuous F_beta over 800 x 800 cells takes seconds here
    if (training)
        QVERIFY(window->trainingPanel()->isPlaying());
    const qint64 ms = closeAndDelete(window);
    QVERIFY2(QThreadPool::globalInstance()->waitForDone(1000), "a pooled task outlived the window by a second");
    const QStringList extra = waitForThreads(m_threadsBefore, 1000);
    qInfo("closed in %lld ms; threads left: %s", ms, qPrintable(extra.join(", ")));
    QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    QVERIFY2(extra.isEmpty(), qPrintable(extra.join(", ")));
}

void TestLifecycle::closingDuringASweepExport()
{
    // A sweep of 400 frames takes a minute; a close (here from a timer, as the window system would send it) stops it
    // at the next frame.
    QTemporaryDir dir;
    auto window = std::make_unique<MainWindow>();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    const LabState before = window->state();
    QElapsedTimer sinceClose;
    QTimer::singleShot(300, window.get(), [&] {
        sinceClose.start();
        window->close();
    });
    QElapsedTimer total;
    total.start();
    const QString error = window->exportBetaSweep(dir.path(), 400, 0.01, 100.0);
    const qint64 stoppedMs = sinceClose.isValid() ? sinceClose.elapsed() : -1;
    qInfo("sweep: \"%s\" after %lld ms, %lld ms after the close", qPrintable(error), total.elapsed(), stoppedMs);
    QVERIFY(sinceClose.isValid());
    QVERIFY2(stoppedMs < 1000, qPrintable(QString::number(stoppedMs)));
    QVERIFY(!error.isEmpty()); // says it stopped; the frames so far stay, no animation is encoded
    QVERIFY(!QFile::exists(QDir(dir.path()).filePath(QStringLiteral("beta-sweep.gif"))));
    QVERIFY(window->state() == before);
    QVERIFY(closeAndDelete(window) < 1000);
    QVERIFY(QThreadPool::globalInstance()->waitForDone(1000));
    const QStringList extra = waitForThreads(m_threadsBefore, 1000);
    QVERIFY2(extra.isEmpty(), qPrintable(extra.join(", ")));
}

void TestLifecycle::failedDatasetChangesNothing_data()
{
    QTest::addColumn<QByteArray>("content"); // empty name: no file at all
    QTest::newRow("missing file") << QByteArray();
    QTest::newRow("empty file") << QByteArray("");
    QTest::newRow("no header") << QByteArray("1,2\n3,4\n");
    QTest::newRow("header only") << QByteArray("y1,y2\n");
    QTest::newRow("nan") << QByteArray("y1,y2\n1,2\nnan,1\n");
    QTest::newRow("garbage") << QByteArray("y1,y2\n\x01\x02,\xff\n");
    QTest::newRow("one number") << QByteArray("y1,y2\n1\n");
}

void TestLifecycle::failedDatasetChangesNothing()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("data.csv"));
    if (!content.isNull()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    MainWindow window;
    window.trainingPanel()->stepOnce();
    QTRY_COMPARE_WITH_TIMEOUT(window.trainingPanel()->epochCount(), 2, 10000);
    const LabState state = window.state();
    const std::vector<Vec2> data = window.data();
    const int undoIndex = window.undoStack()->index();

    const QString error = window.loadDataset(path);
    qInfo("%s", qPrintable(error));
    QVERIFY(!error.isEmpty());
    QVERIFY(window.state() == state);
    QVERIFY(window.data() == data);
    QCOMPARE(window.undoStack()->index(), undoIndex);
    QTest::qWait(100);                                 // a training reset would arrive meanwhile
    QCOMPARE(window.trainingPanel()->epochCount(), 2); // the run goes on as it was
}

void TestLifecycle::loadedDatasetIsShownAndTrained()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("data.csv"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("y1,y2\n3,0\n0,2\n-3,0\n0,-2\n");
    f.close();
    MainWindow window;
    QVERIFY(window.loadDataset(path).isEmpty());
    QCOMPARE(window.data().size(), size_t(4));
    QCOMPARE(window.data()[2], Vec2(-3, 0));
    // Training fits the loaded points. One step of the energy loss at beta = inf from w = (1, 1): the points on the
    // y1 axis pull w1 by -2(3 - w1) = -4 each, those on the y2 axis pull w2 by -2(2 - w2) = -2 each, the others
    // nothing (sin 0 = cos pi/2 = 0 on the 48 latents); the mean gradient is (-2, -1).
    window.trainingPanel()->stepOnce();
    QTRY_COMPARE_WITH_TIMEOUT(window.trainingPanel()->epochCount(), 2, 10000);
    QCOMPARE(window.data().size(), size_t(4));
    const double eta = window.trainingPanel()->config().learningRate;
    QCOMPARE(window.trainingPanel()->trace().back().w.w1, 1.0 + 2.0 * eta);
    QCOMPARE(window.trainingPanel()->trace().back().w.w2, 1.0 + eta);
}

QTEST_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
