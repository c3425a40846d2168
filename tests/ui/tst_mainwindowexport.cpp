// Exports from the real window: a figure at a chosen size, and the frames of a beta sweep.
#include "mainwindow.h"
#include "observationplane.h"

#include <QDir>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ebm;

class TestMainWindowExport : public QObject
{
    Q_OBJECT

private slots:
    void figureAtTheChosenSize_data();
    void figureAtTheChosenSize();
    void betaSweepFramesRestoreTheState();
};

void TestMainWindowExport::figureAtTheChosenSize_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QSize>("size");
    QTest::newRow("plane, slide size") << "plane.png" << QSize(1600, 1200);
    QTest::newRow("plane, wide") << "wide.png" << QSize(1920, 800);
}

void TestMainWindowExport::figureAtTheChosenSize()
{
    QFETCH(QString, name);
    QFETCH(QSize, size);
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    window.show();
    QVERIFY(applied.wait(20000));
    QTemporaryDir dir;
    ExportOptions options;
    options.size = size;
    options.captionText = QStringLiteral("test caption");
    const QString path = dir.filePath(name);
    QCOMPARE(window.exportFigure(window.plane(), path, options), QString());
    const QImage image(path);
    QCOMPARE(image.size(), size);
    // The field covers the whole exported view: the corners are heatmap colours, not the white background.
    for (QPoint corner : {QPoint(120, 80), QPoint(size.width() - 200, size.height() - 160)})
        QVERIFY2(image.pixelColor(corner) != QColor(Qt::white),
                 qPrintable(QStringLiteral("white at %1,%2").arg(corner.x()).arg(corner.y())));
}

void TestMainWindowExport::betaSweepFramesRestoreTheState()
{
    MainWindow window;
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    window.show();
    QVERIFY(applied.wait(20000));
    const LabState before = window.state();
    QTemporaryDir dir;
    QCOMPARE(window.exportBetaSweep(dir.path(), 5, 0.1, 10.0), QString());
    const QStringList frames = QDir(dir.path()).entryList({QStringLiteral("frame_*.png")}, QDir::Files, QDir::Name);
    QCOMPARE(frames.size(), 5);
    QCOMPARE(frames.first(), QStringLiteral("frame_0001.png"));
    QVERIFY(window.state() == before);
    // Cold and hot frames differ: the sweep really changed beta.
    const QImage first(dir.filePath(frames.first())), last(dir.filePath(frames.last()));
    QVERIFY(!first.isNull() && first.size() == last.size());
    QVERIFY(first != last);
}

QTEST_MAIN(TestMainWindowExport)
#include "tst_mainwindowexport.moc"
