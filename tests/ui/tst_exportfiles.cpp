// Files out of the exporter: failures leave nothing behind, frames are numbered PNGs, the animation encoder is
// optional; and the provenance caption and the export dialog's choices.
#include "exportdialog.h"
#include "exporter.h"
#include "labstate.h"
#include "math/dataset.h"
#include "math/field.h"
#include "observationplane.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QPainter>
#include <QPixmapCache>
#include <QProcess>
#include <QSlider>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace ebm;

class TestExportFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void failsCleanly_data();
    void failsCleanly();
    void failureKeepsTheOldFile();
    void provenanceCaptionNamesTheParameters();
    void framesAreNumberedAndComplete();
    void animationNeedsAnEncoder();
    void dialogReturnsTheChoices();
    void pytorchFigureFollowsTheState();
    void vectorFiguresKeepTheSliderHandle_data();
    void vectorFiguresKeepTheSliderHandle();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::unique_ptr<ObservationPlane> m_plane;
};

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

ExportOptions sized(int w, int h, double dpi = 96, const QString &caption = {})
{
    ExportOptions o;
    o.size = QSize(w, h);
    o.dpi = dpi;
    o.caption = !caption.isEmpty();
    o.captionText = caption;
    return o;
}

} // namespace

void TestExportFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const EllipseEbm model;
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 41, 41};
    m_plane = std::make_unique<ObservationPlane>();
    m_plane->setField(grid, *evaluateField(model, FieldRequest{}, grid), QStringLiteral("F"));
    m_plane->setModelPicture(model, Vec2(1.2, 1.6), 1.0, true);
    m_plane->setData(ellipseSamples(DatasetSpec{}));
    m_plane->resize(640, 480);
}

void TestExportFiles::failsCleanly_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("dpi");
    QTest::addColumn<QSize>("size");
    // A path under a regular file cannot be created, not even by root.
    QTest::newRow("png under a file") << "blocker/fig.png" << 96.0 << QSize(400, 300);
    QTest::newRow("pdf under a file") << "blocker/fig.pdf" << 96.0 << QSize(400, 300);
    QTest::newRow("svg under a file") << "blocker/fig.svg" << 96.0 << QSize(400, 300);
    QTest::newRow("missing directory") << "no/such/dir/fig.png" << 96.0 << QSize(400, 300);
    QTest::newRow("unknown suffix") << "fig.bmp" << 96.0 << QSize(400, 300);
    QTest::newRow("no suffix") << "fig" << 96.0 << QSize(400, 300);
    QTest::newRow("dpi zero") << "fig.png" << 0.0 << QSize(400, 300);
    QTest::newRow("dpi NaN") << "fig.png" << std::nan("") << QSize(400, 300);
    QTest::newRow("absurd size") << "fig.png" << 96.0 << QSize(40000, 300);
    QTest::newRow("too many pixels") << "fig.png" << 2400.0 << QSize(5000, 5000);
}

void TestExportFiles::failsCleanly()
{
    QFETCH(QString, name);
    QFETCH(double, dpi);
    QFETCH(QSize, size);
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString file = dir.filePath(name);
    const QString error = exportWidget(m_plane.get(), file, sized(size.width(), size.height(), dpi));
    QVERIFY(!error.isEmpty());
    qInfo("%s", qPrintable(error));
    QVERIFY(!QFileInfo::exists(file));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{QStringLiteral("blocker")});
    QCOMPARE(m_plane->size(), QSize(640, 480));
}

void TestExportFiles::failureKeepsTheOldFile()
{
    const QString file = path(QStringLiteral("keep.png"));
    QFile old(file);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("old");
    old.close();
    QVERIFY(!exportWidget(m_plane.get(), file, sized(400, 300, -1)).isEmpty());
    QCOMPARE(readAll(file), QByteArray("old"));
    QVERIFY(exportWidget(m_plane.get(), file, sized(400, 300)).isEmpty());
    QCOMPARE(QImage(file).size(), QSize(400, 300));
}

void TestExportFiles::provenanceCaptionNamesTheParameters()
{
    LabState state;
    QString caption = provenanceCaption(state);
    for (const char *part :
         {"EBM Lab", "w = (2, 1.5)", "N = 48", "β = 1", "y = (1.2, 1.6)", "data seed 0 (24 points, σ = 0.05)"})
        QVERIFY2(caption.contains(QString::fromUtf8(part)), qPrintable(caption));
    state.zeroTemperature = true;
    state.continuousLatent = true;
    state.field = FieldKind::Energy;
    state.zStar = 1.5;
    state.w.w1 = -0.25;
    state.dataset.seed = 7;
    caption = provenanceCaption(state);
    for (const char *part : {"β = ∞", "continuous z", "z* = 1.5", "w = (−0.25, 1.5)", "data seed 7"})
        QVERIFY2(caption.contains(QString::fromUtf8(part)), qPrintable(caption));
}

void TestExportFiles::framesAreNumberedAndComplete()
{
    const QString dir = path(QStringLiteral("frames"));
    QVERIFY(QDir().mkpath(dir));
    for (const char *stale : {"frame_0004.png", "frame_0005.png", "notes.txt"}) {
        QFile file(QDir(dir).filePath(QString::fromLatin1(stale)));
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    QStringList paths;
    const QString error = exportFrames(dir, 3, [&](int index, const QString &file) {
        paths << file;
        return exportWidget(m_plane.get(), file, sized(320, 240, 96, QStringLiteral("frame %1").arg(index)));
    });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(paths, (QStringList{QDir(dir).filePath("frame_0001.png"), QDir(dir).filePath("frame_0002.png"),
                                 QDir(dir).filePath("frame_0003.png")}));
    QCOMPARE(QDir(dir).entryList(QDir::Files),
             (QStringList{"frame_0001.png", "frame_0002.png", "frame_0003.png", "notes.txt"}));
    QCOMPARE(QImage(paths[2]).size(), QSize(320, 240));

    const QString failed = exportFrames(
        dir, 3, [](int index, const QString &) { return index == 1 ? QStringLiteral("boom") : QString(); });
    QVERIFY2(failed.contains(QStringLiteral("frame 2 of 3")) && failed.contains(QStringLiteral("boom")),
             qPrintable(failed));
    QVERIFY(!exportFrames(dir, 0, [](int, const QString &) { return QString(); }).isEmpty());
    QCOMPARE(QFileInfo(framePath(dir, 0, 12000)).fileName(), QStringLiteral("frame_00001.png"));
}

void TestExportFiles::animationNeedsAnEncoder()
{
    const QString dir = path(QStringLiteral("animation"));
    QVERIFY(exportFrames(dir, 4, [&](int index, const QString &file) {
                ExportOptions o = sized(320, 240, 96, QStringLiteral("frame %1").arg(index));
                return exportWidget(m_plane.get(), file, o);
            }).isEmpty());
    QVERIFY(!encodeAnimation(dir, path(QStringLiteral("movie.avi"))).isEmpty());
    if (findEncoder().isEmpty()) {
        const QString error = encodeAnimation(dir, path(QStringLiteral("movie.gif")));
        QVERIFY2(error.contains(QStringLiteral("ffmpeg")), qPrintable(error));
        QSKIP("ffmpeg is not installed: animations are optional");
    }
    const QString gif = path(QStringLiteral("movie.gif")), mp4 = path(QStringLiteral("movie.mp4"));
    QString error = encodeAnimation(dir, gif, 4);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(readAll(gif).startsWith("GIF8"));
    error = encodeAnimation(dir, mp4, 4);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(readAll(mp4).mid(4, 4), QByteArray("ftyp"));
}

void TestExportFiles::dialogReturnsTheChoices()
{
    ExportDialog dialog;
    dialog.setTargetSize(ExportTarget::Plane, QSize(900, 700));
    dialog.setTarget(ExportTarget::Plane);
    QCOMPARE(dialog.target(), ExportTarget::Plane);
    QCOMPARE(dialog.options().size, QSize(900, 700));
    dialog.setPath(QStringLiteral("/tmp/figure.pdf"));
    QCOMPARE(dialog.format(), ExportFormat::Pdf);
    dialog.setFormat(ExportFormat::Svg);
    QCOMPARE(dialog.path(), QStringLiteral("/tmp/figure.svg"));
    dialog.setCaptionText(QStringLiteral("provenance"));
    QCOMPARE(dialog.options().captionText, QStringLiteral("provenance"));
    QVERIFY(dialog.options().caption);
    dialog.setOptions(sized(1920, 1080, 192));
    const ExportOptions o = dialog.options();
    QCOMPARE(o.size, QSize(1920, 1080));
    QCOMPARE(o.dpi, 192.0);
    QVERIFY(!o.caption);
}

void TestExportFiles::pytorchFigureFollowsTheState()
{
    LabState state;
    state.zeroTemperature = true;
    state.field = FieldKind::Posterior;
    state.zStar = 2.0;
    state.latentCount = 12;
    const Grid grid{-2.0, 2.5, -1.0, 1.5, 30, 20};
    const PyTorchFigure f = pytorchFigure(state, grid, {Vec2(0.5, -0.25)});
    QCOMPARE(f.w1, 2.0);
    QCOMPARE(f.w2, 1.5);
    QCOMPARE(f.latentCount, 12);
    QVERIFY(std::isinf(f.beta));
    QCOMPARE(f.field, 3);
    QCOMPARE(f.z, 2.0);
    QCOMPARE(f.x0, -2.0);
    QCOMPARE(f.y1, 1.5);
    QCOMPARE(f.nx, 30);
    QCOMPARE(f.ny, 20);
    QCOMPARE(f.data.size(), size_t(1));
    QCOMPARE(f.data[0].second, -0.25);
    QCOMPARE(f.caption, provenanceCaption(state));
    state.continuousLatent = true;
    QCOMPARE(pytorchFigure(state, grid, {}).latentCount, 0);
}

QTEST_MAIN(TestExportFiles)
#include "tst_exportfiles.moc"

void TestExportFiles::vectorFiguresKeepTheSliderHandle_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<double>("dpi");
    QTest::newRow("pdf 96 dpi") << "pdf" << 96.0;
    QTest::newRow("pdf 300 dpi") << "pdf" << 300.0;
    QTest::newRow("svg") << "svg" << 96.0;
}

// The beta slider's handle once vanished from whole-window PDF and SVG exports (the style draws it from a pixmap
// cached for the screen). The vector figure, rasterised, must show it as the screen does.
void TestExportFiles::vectorFiguresKeepTheSliderHandle()
{
    QFETCH(QString, suffix);
    QFETCH(double, dpi);
    QWidget panel;
    auto *layout = new QHBoxLayout(&panel);
    auto *slider = new QSlider(Qt::Horizontal);
    slider->setRange(0, 100);
    slider->setValue(40);
    layout->addWidget(slider);
    panel.resize(240, 48);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));

    // The reference is the widget as on screen; then the style's pixmap cache is emptied so that the export draws
    // its own handle, as it does in a window exported for the first time at that size.
    const QImage reference = panel.grab().toImage().convertToFormat(QImage::Format_RGB32);
    QPixmapCache::clear();
    const QString vector = path("slider." + suffix);
    QCOMPARE(exportWidget(&panel, vector, sized(240, 48, dpi)), QString());

    QImage raster;
    if (suffix == QLatin1String("svg")) {
        QSvgRenderer svg(vector);
        QVERIFY(svg.isValid());
        raster = QImage(reference.size(), QImage::Format_RGB32);
        raster.fill(Qt::white);
        QPainter painter(&raster);
        svg.render(&painter, QRectF(QPointF(), QSizeF(reference.size())));
    } else {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty())
            QSKIP("pdftoppm (poppler-utils) is not installed");
        // The page is size / dpi inches, so rasterising at dpi gives back the figure's logical pixels.
        QCOMPARE(QProcess::execute(QStringLiteral("pdftoppm"),
                                   {QStringLiteral("-r"), QString::number(dpi), QStringLiteral("-png"),
                                    QStringLiteral("-singlefile"), vector, path("slider-pdf")}),
                 0);
        raster = QImage(path("slider-pdf.png")).scaled(reference.size()).convertToFormat(QImage::Format_RGB32);
    }
    QCOMPARE(raster.size(), reference.size());
    // The handle is the only near-white area (the window and the groove are grey): the vector figure must show
    // about as much of it as the screen, whatever the small differences of anti-aliasing.
    auto whiteArea = [](const QImage &image) {
        int n = 0;
        // Not the outermost pixels: a page rounded to whole points may leave a white sliver there.
        for (int y = 2; y < image.height() - 2; ++y) {
            for (int x = 2; x < image.width() - 2; ++x)
                n += qGray(image.pixel(x, y)) > 245 ? 1 : 0;
        }
        return n;
    };
    const int expected = whiteArea(reference), got = whiteArea(raster);
    QVERIFY2(expected > 100, qPrintable(QStringLiteral("the handle covers only %1 pixels on screen").arg(expected)));
    QVERIFY2(
        std::abs(got - expected) < expected / 4,
        qPrintable(QStringLiteral("the handle covers %1 pixels in the figure, %2 on screen").arg(got).arg(expected)));
}
