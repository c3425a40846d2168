// Sessions in the window: save, change, open gives back the identical lab; a bad file changes nothing and says why;
// files dropped on the window open; the recent list keeps its order and forgets files that are gone.
#include "io/csvio.h"
#include "mainwindow.h"
#include "observationplane.h"
#include "trainingpanel.h"

#include <QAction>
#include <QApplication>
#include <QDropEvent>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QUrl>

#include <bit>
#include <cstdint>

using namespace ebm;

namespace {

bool sameBits(const std::vector<Vec2> &a, const std::vector<Vec2> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        for (int c = 0; c < 2; ++c) {
            if (std::bit_cast<std::uint64_t>(a[i][c]) != std::bit_cast<std::uint64_t>(b[i][c]))
                return false;
        }
    }
    return true;
}

QRectF viewOf(const Session &s)
{
    return {QPointF(s.view.x0, s.view.y0), QPointF(s.view.x1, s.view.y1)};
}

//! Drags \a path over the window and drops it, as a file manager would; true if the window took the drag.
bool dropFile(MainWindow &window, const QString &path)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at = window.rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    return drop.isAccepted();
}

QString writeCsv(const QString &path, const std::vector<Vec2> &points)
{
    return writeDataCsv(path, points);
}

//! The window in a state far from its defaults: a lesson, parameters, layers, custom data, a view, three epochs.
void makeItsOwn(MainWindow &window, const QString &csvPath)
{
    window.applyLesson(2);
    LabState s = window.state();
    s.beta = 0.37;
    s.w = {1.75, 1.25};
    s.field = FieldKind::Energy;
    s.zStar = 1.3;
    s.colorMap = ColorMap::Cividis;
    s.layers.contours = true;
    s.layers.arrows = true;
    s.observation = Vec2(0.1 + 0.2, -1.0 / 3.0);
    s.sectionY1 = 0.7;
    window.editState(s);
    QVERIFY(writeCsv(csvPath, {{0.1, 0.2}, {-1.5, 1.0 / 3.0}, {2.0, -0.25}, {1e-300, 3.0}}).isEmpty());
    QVERIFY(window.openDataFile(csvPath));
    window.plane()->setView(-2.0, 4.0, -1.5, 2.5);
    for (int k = 0; k < 3; ++k)
        window.trainingPanel()->stepOnce();
    QTRY_COMPARE_WITH_TIMEOUT(window.trainingPanel()->epochCount(), 4, 20000);
}

} // namespace

class TestMainWindowSession : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void saveChangeOpenGivesTheIdenticalLab();
    void restoredRunContinues();
    void badFileChangesNothing_data();
    void badFileChangesNothing();
    void dropsOpenDataAndSessions();
    void recentSessionsKeepOrderAndForgetMissingFiles();
    void titleShowsFileAndModification();
};

void TestMainWindowSession::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location, not the user's
    QCoreApplication::setOrganizationName(QStringLiteral("EBM Lab tests"));
    QCoreApplication::setApplicationName(QStringLiteral("mainwindowsession"));
}

void TestMainWindowSession::init()
{
    QSettings().clear();
}

void TestMainWindowSession::saveChangeOpenGivesTheIdenticalLab()
{
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    makeItsOwn(window, dir.filePath(QStringLiteral("data.csv")));
    const Session saved = window.currentSession();
    QVERIFY(saved.customData);
    QCOMPARE(saved.trace.size(), size_t(4));
    QCOMPARE(saved.lesson, 2);
    QCOMPARE(viewOf(saved), QRectF(QPointF(-2.0, -1.5), QPointF(4.0, 2.5)));
    const QString path = dir.filePath(QStringLiteral("lecture.json"));
    QVERIFY2(window.saveSession(path), qPrintable(window.lastError()));
    const QString lessonText = window.lessonText();

    // Change everything the session holds.
    window.applyLesson(0);
    LabState other = window.state();
    other.beta = 50.0;
    other.field = FieldKind::Posterior;
    other.dataset.seed = 42;
    other.layers.contours = false;
    window.editState(other);
    window.plane()->setView(-5.0, 5.0, -5.0, 5.0);
    window.trainingPanel()->stepOnce();
    QTRY_VERIFY_WITH_TIMEOUT(window.trainingPanel()->epochCount() >= 1, 20000);
    QVERIFY(!(window.currentSession() == saved));

    QVERIFY2(window.openSession(path), qPrintable(window.lastError()));
    QVERIFY(window.state() == saved.state);
    QVERIFY(sameBits(window.data(), saved.data));
    QCOMPARE(window.plane()->viewRange(), viewOf(saved));
    QCOMPARE(window.lessonText(), lessonText);
    QCOMPARE(window.currentLesson(), 2);
    QVERIFY(window.trainingPanel()->config() == saved.training);
    QVERIFY(window.trainingPanel()->trace() == saved.trace);
    QCOMPARE(window.trainingPanel()->shownEpoch(), 3);
    QVERIFY(window.currentSession() == saved);
    QCOMPARE(window.undoStack()->count(), 0);
    QVERIFY(!window.isWindowModified());
    // The field follows the restored state.
    QTRY_VERIFY_WITH_TIMEOUT(
        window.displayedJob().w == saved.state.w && window.displayedJob().request.kind == saved.state.field, 30000);
    // The worker's first progress of the restored run changes nothing on screen.
    QTest::qWait(300);
    QVERIFY(window.currentSession() == saved);

    // Data from a file survive a pan (they are not regenerated from the data set's spec).
    window.plane()->setView(-1.0, 1.0, -1.0, 1.0);
    QVERIFY(sameBits(window.data(), saved.data));
}

void TestMainWindowSession::restoredRunContinues()
{
    QTemporaryDir dir;
    MainWindow window;
    makeItsOwn(window, dir.filePath(QStringLiteral("data.csv")));
    const std::vector<TracePoint> before = window.trainingPanel()->trace();
    const QString path = dir.filePath(QStringLiteral("run.json"));
    QVERIFY(window.saveSession(path));
    for (int k = 0; k < 2; ++k)
        window.trainingPanel()->stepOnce();
    QTRY_COMPARE_WITH_TIMEOUT(window.trainingPanel()->epochCount(), 6, 20000);
    const std::vector<TracePoint> uninterrupted = window.trainingPanel()->trace();

    MainWindow again;
    QVERIFY(again.openSession(path));
    QVERIFY(again.trainingPanel()->trace() == before);
    for (int k = 0; k < 2; ++k)
        again.trainingPanel()->stepOnce();
    QTRY_COMPARE_WITH_TIMEOUT(again.trainingPanel()->epochCount(), 6, 20000);
    // The same epochs, bit for bit, as if the run had never been saved.
    QVERIFY(again.trainingPanel()->trace() == uninterrupted);
    QTRY_VERIFY_WITH_TIMEOUT(again.state().w == uninterrupted.back().w, 10000);
}

void TestMainWindowSession::badFileChangesNothing_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("message");
    QByteArray good = sessionToJson(Session{});
    QTest::newRow("truncated") << good.left(good.size() / 3) << "s.json"
                               << "not valid JSON";
    QTest::newRow("future version") << QByteArray(good).replace("\"version\": 1", "\"version\": 7") << "s.json"
                                    << "version 7 is newer than this EBM Lab understands (1)";
    QTest::newRow("beta NaN") << QByteArray(good).replace("\"beta\": 1,", "\"beta\": \"NaN\",") << "s.json"
                              << "state.beta must be a number, not a string";
    QTest::newRow("not a session") << QByteArray("{\"format\": \"something else\"}") << "s.json"
                                   << "format must be \"ebmlab-session\"";
    QTest::newRow("missing file") << QByteArray() << QString() << "cannot open";
    QTest::newRow("bad csv") << QByteArray("y1,y2\n1,nan\n") << "d.csv"
                             << "line 2";
    QTest::newRow("unknown kind") << QByteArray("hello") << "notes.txt"
                                  << "neither a session";
}

void TestMainWindowSession::badFileChangesNothing()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, fileName);
    QFETCH(QString, message);
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.beta = 3.5;
    window.editState(s);
    s.observation = Vec2(-0.5, 0.25);
    window.editState(s);
    window.plane()->setView(-2.0, 2.0, -2.0, 2.0);
    const Session before = window.currentSession();
    const int undoCount = window.undoStack()->count(), undoIndex = window.undoStack()->index();
    const QString title = window.windowTitle();

    QString path = dir.filePath(fileName.isEmpty() ? QStringLiteral("gone.json") : fileName);
    if (!fileName.isEmpty()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(contents);
    }
    QSignalSpy problems(&window, &MainWindow::fileProblem);
    QVERIFY(!window.openFile(path));
    QCOMPARE(problems.count(), 1);
    QVERIFY2(window.lastError().contains(message), qPrintable(window.lastError()));
    QCOMPARE(problems.front().front().toString(), window.lastError());
    QCOMPARE(window.statusBar()->currentMessage(), window.lastError());
    auto *warning = window.findChild<QMessageBox *>(QStringLiteral("fileProblem"));
    QVERIFY(warning && warning->isVisible());
    QCOMPARE(warning->text(), window.lastError());
    QCOMPARE(warning->windowModality(), Qt::NonModal);

    QVERIFY(window.currentSession() == before);
    QVERIFY(sameBits(window.data(), before.data));
    QCOMPARE(window.undoStack()->count(), undoCount);
    QCOMPARE(window.undoStack()->index(), undoIndex);
    QCOMPARE(window.windowTitle(), title);
    QVERIFY(window.sessionPath().isEmpty());
    warning->close();
}

void TestMainWindowSession::dropsOpenDataAndSessions()
{
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    const std::vector<Vec2> points = {{0.5, -0.5}, {1.0 / 7.0, 2.0}, {-3.0, 0.0}};
    const QString csv = dir.filePath(QStringLiteral("points.csv"));
    QVERIFY(writeCsv(csv, points).isEmpty());
    QVERIFY(dropFile(window, csv));
    QVERIFY(sameBits(window.data(), points));
    QVERIFY(window.currentSession().customData);
    QVERIFY(window.isWindowModified());

    // A session made elsewhere.
    Session other;
    other.state.beta = 12.5;
    other.state.zeroTemperature = true;
    other.state.colorMap = ColorMap::ColdToHot;
    other.data = {{1.0, 1.0}, {-1.0, 0.5}};
    other.customData = true;
    other.view = {-1.0, 3.0, -2.0, 0.0};
    other.training.loss.kind = LossKind::Log;
    other.training.loss.beta = 4.0;
    other.lesson = 1;
    const QString json = dir.filePath(QStringLiteral("other.json"));
    QVERIFY(writeSession(json, other).isEmpty());
    QVERIFY(dropFile(window, json));
    QVERIFY(window.state() == other.state);
    QVERIFY(sameBits(window.data(), other.data));
    QCOMPARE(window.plane()->viewRange(), viewOf(other));
    QVERIFY(window.trainingPanel()->config() == other.training);
    QCOMPARE(window.sessionPath(), json);
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("other.json")));

    // Anything else is not taken: the drag is refused and nothing changes.
    const QString text = dir.filePath(QStringLiteral("notes.txt"));
    QVERIFY(writeCsv(text, points).isEmpty());
    QVERIFY(!dropFile(window, text));
    QVERIFY(window.state() == other.state);
    QVERIFY(window.lastError().isEmpty());
}

void TestMainWindowSession::recentSessionsKeepOrderAndForgetMissingFiles()
{
    QTemporaryDir dir;
    MainWindow window;
    auto pathOf = [&dir](int i) { return dir.filePath(QStringLiteral("s%1.json").arg(i)); };
    for (int i = 0; i < 3; ++i)
        QVERIFY(window.saveSession(pathOf(i)));
    QCOMPARE(window.recentSessions(), QStringList({pathOf(2), pathOf(1), pathOf(0)}));
    QVERIFY(window.openSession(pathOf(0))); // opening moves it to the front, once
    QCOMPARE(window.recentSessions(), QStringList({pathOf(0), pathOf(2), pathOf(1)}));

    for (int i = 3; i < 12; ++i)
        QVERIFY(window.saveSession(pathOf(i)));
    QStringList expected;
    for (int i = 11; i > 11 - MainWindow::kMaxRecentSessions; --i)
        expected << pathOf(i);
    QCOMPARE(window.recentSessions(), expected);

    // The menu lists them in that order.
    QMenu *recent = nullptr;
    for (QAction *a : window.menuBar()->actions()) {
        if (a->menu()) {
            for (QAction *b : a->menu()->actions()) {
                if (b->menu() && b->text().contains(QStringLiteral("Recent")))
                    recent = b->menu();
            }
        }
    }
    QVERIFY(recent);
    QCOMPARE(recent->actions().size(), MainWindow::kMaxRecentSessions);
    QVERIFY(recent->actions().front()->text().contains(QStringLiteral("s11.json")));

    // Files that are gone are dropped, with a message; the rest keep their order.
    QVERIFY(QFile::remove(pathOf(10)));
    QVERIFY(QFile::remove(pathOf(8)));
    expected.removeAll(pathOf(10));
    expected.removeAll(pathOf(8));
    QCOMPARE(window.recentSessions(), expected);
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("removed from the recent sessions")));
    QCOMPARE(QSettings().value(QStringLiteral("session/recent")).toStringList(), expected);

    // An entry that vanished after the menu was built: choosing it reports that, and it is dropped.
    QMetaObject::invokeMethod(recent, "aboutToShow");
    QCOMPARE(recent->actions().size(), int(expected.size()));
    QVERIFY(QFile::remove(pathOf(11)));
    const Session before = window.currentSession();
    recent->actions().front()->trigger();
    QVERIFY(window.lastError().contains(QStringLiteral("no longer exists")));
    QVERIFY(window.currentSession() == before);
    expected.removeAll(pathOf(11));
    QCOMPARE(window.recentSessions(), expected);
}

void TestMainWindowSession::titleShowsFileAndModification()
{
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(window.windowTitle().contains(QStringLiteral("[*]")));
    QVERIFY(!window.isWindowModified());
    LabState s = window.state();
    s.beta = 2.0;
    window.editState(s);
    QVERIFY(window.isWindowModified());
    const QString path = dir.filePath(QStringLiteral("title.json"));
    QVERIFY(window.saveSession(path));
    QCOMPARE(window.windowTitle(), QStringLiteral("title.json[*] — EBM Lab"));
    QVERIFY(!window.isWindowModified());
    s.beta = 4.0;
    window.editState(s);
    QVERIFY(window.isWindowModified());
    window.undoStack()->undo(); // back to what was saved
    QVERIFY(!window.isWindowModified());
}

QTEST_MAIN(TestMainWindowSession)
#include "tst_mainwindowsession.moc"
