// `ebmlab render`: the options (parsed as field parses them), the error contract, and the figures of the real binary
// run without a display, held pixel by pixel to the grab of a real window in the same state.
#include "commands.h"
#include "imagecompare.h"
#include "io/csvio.h"
#include "io/session.h"
#include "mainwindow.h"
#include "math/ellipse.h"
#include "observationplane.h"
#include "rendercommand.h"
#include "repaintpacer.h"
#include "testhelpers.h"
#include "trainingpanel.h"

#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <sstream>

using namespace ebm;
using ebmtest::meanAbsoluteDifference;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray err;
};

//! The real binary with no display at all: no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM (unless \a platform).
Run runEbmlab(const QStringList &args, const QString &platform = QString())
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    if (!platform.isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(qEnvironmentVariable("EBMLAB_BINARY"), args);
    Run run;
    if (!process.waitForFinished(180000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.err = process.readAllStandardError();
    return run;
}

QStringList words(const QString &line)
{
    return line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

//! Not blank: many colours, and no single colour covering nearly everything.
bool hasContent(const QImage &image)
{
    QHash<QRgb, int> counts;
    int most = 0;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            most = std::max(most, ++counts[image.pixel(x, y)]);
    }
    const int sampled = ((image.height() + 1) / 2) * ((image.width() + 1) / 2);
    return counts.size() > 50 && most < 0.95 * sampled;
}

// The same options that the rows pass to the binary, set on the state directly (not through the parser).
LabState commonState()
{
    LabState s;
    s.beta = 2.5;
    s.w = {1.8, 1.2};
    s.observation = Vec2(-0.8, 1.1);
    s.colorMap = ColorMap::Cividis;
    s.layers.contours = true;
    s.sectionY1 = 0.5;
    return s;
}
const QString kCommonArgs = QStringLiteral("--beta 2.5 --w 1.8,1.2 --y -0.8,1.1 --colormap cividis --show contours "
                                           "--section 0.5");

QWidget *targetOf(MainWindow &window, const QString &view)
{
    if (view == QLatin1String("all"))
        return &window;
    return renderTarget(window, view == QLatin1String("plane")     ? RenderView::Plane
                                : view == QLatin1String("latent")  ? RenderView::Latent
                                : view == QLatin1String("section") ? RenderView::Section
                                                                   : RenderView::Training);
}

} // namespace

Q_DECLARE_METATYPE(ebm::LabState)

class TestRenderCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesOptions();
    void rejectsBadOptions_data();
    void rejectsBadOptions();
    void badOptionsThroughTheBinary();
    void matchesTheWindow_data();
    void matchesTheWindow();
    void comparisonSeesADifferentState();
    void sessionMatchesTheWindow();
    void pdfAndSvgAreVectorFigures_data();
    void pdfAndSvgAreVectorFigures();
    void sweepWritesFramesOfEachBeta();
    void ignoresAPlatformThatNeedsADisplay();

private:
    //! The window's own picture of \a state: the same layout as the render (the panel at \a size), grabbed.
    QImage grabWindow(const QString &view, QSize size, const LabState &state, const QRectF &range,
                      const std::vector<Vec2> *data);

    QTemporaryDir m_dir;
    QString m_dataFile;
    std::vector<Vec2> m_data;
};

void TestRenderCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(qEnvironmentVariable("EBMLAB_BINARY")), "EBMLAB_BINARY must name the built ebmlab");
    m_data = {Vec2(1.0, 0.0), Vec2(0.0, 1.0), Vec2(-1.0, 0.2), Vec2(0.3, -1.1), Vec2(2.5, 2.5), Vec2(-2.0, -2.2)};
    m_dataFile = m_dir.filePath(QStringLiteral("points.csv"));
    QCOMPARE(writeDataCsv(m_dataFile, m_data), QString());
}

void TestRenderCommand::parsesOptions()
{
    const cli::RenderArgs a = cli::parseRenderArgs(ebmtest::splitArgs(
        "--field E --beta inf --w -1,0.5 --latents 7 --range -1,2,-3,4 --grid 50x81 --z 1.2 --y 0.5,-1 "
        "--colormap cold-to-hot --section 0.7 --show contours,arrows,margin --hide latents --margin 2 --seed 5 --n 10 "
        "--noise 0.1 --view latent --size 800x600 --dpi 192 --caption on --out f.svg"));
    const LabState &s = a.input.state;
    QCOMPARE(s.field, FieldKind::Energy);
    QVERIFY(s.zeroTemperature);
    QCOMPARE(s.beta, 1.0); // the finite beta under the switch stays the window's
    QCOMPARE(s.w.w1, -1.0);
    QCOMPARE(s.w.w2, 0.5);
    QVERIFY(!s.continuousLatent);
    QCOMPARE(s.latentCount, 7);
    QCOMPARE(a.input.view, QRectF(QPointF(-1, -3), QPointF(2, 4)));
    QCOMPARE(s.resolution, 80); // 81 points along the longer side
    QCOMPARE(s.zStar, 1.2);
    QCOMPARE(s.observation, Vec2(0.5, -1.0));
    QCOMPARE(s.colorMap, ColorMap::ColdToHot);
    QCOMPARE(s.sectionY1, 0.7);
    QVERIFY(s.layers.contours && s.layers.arrows && s.layers.marginLevel && !s.layers.latents && s.layers.heatmap);
    QCOMPARE(s.margin, 2.0);
    QCOMPARE(s.dataset.seed, std::uint64_t(5));
    QCOMPARE(s.dataset.count, 10);
    QCOMPARE(s.dataset.noise, 0.1);
    QVERIFY(!a.input.customData);
    QCOMPARE(a.input.what, RenderView::Latent);
    QCOMPARE(a.input.size, QSize(800, 600));
    QCOMPARE(a.input.dpi, 192.0);
    QVERIFY(a.input.caption);
    QCOMPARE(a.out, std::string("f.svg"));
    QVERIFY(!a.sweep);

    // Defaults: the window's own state and view; no caption on a figure, a caption on frames.
    const cli::RenderArgs d = cli::parseRenderArgs(ebmtest::splitArgs("--out f.png"));
    QVERIFY(d.input.state == LabState());
    QCOMPARE(d.input.view, QRectF(QPointF(-3, -3), QPointF(3, 3)));
    QCOMPARE(d.input.what, RenderView::All);
    QCOMPARE(d.input.size, QSize(1600, 1200));
    QVERIFY(!d.input.caption);

    const cli::RenderArgs w = cli::parseRenderArgs(
        ebmtest::splitArgs("--latents continuous --zero-temperature --beta 3 --sweep-beta 0.01:100:60 --frames out/"));
    QVERIFY(w.input.state.continuousLatent && w.input.state.zeroTemperature);
    QCOMPARE(w.input.state.beta, 3.0);
    QVERIFY(w.sweep);
    QCOMPARE(w.sweepFrom, 0.01);
    QCOMPARE(w.sweepTo, 100.0);
    QCOMPARE(w.sweepFrames, 60);
    QCOMPARE(w.framesDirectory, std::string("out/"));
    QVERIFY(w.input.caption);

    const cli::RenderArgs f =
        cli::parseRenderArgs(ebmtest::splitArgs(QStringLiteral("--data %1 --out f.pdf").arg(m_dataFile)));
    QVERIFY(f.input.customData);
    QCOMPARE(f.input.data.size(), m_data.size());
    QCOMPARE(f.input.data[4], Vec2(2.5, 2.5));
}

void TestRenderCommand::rejectsBadOptions_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("messagePart");
    // Field's own options keep field's messages.
    QTest::newRow("unknown option") << "--colour red --out OUT/f.png"
                                    << "unknown option --colour";
    QTest::newRow("beta zero") << "--beta 0 --out OUT/f.png"
                               << "--beta must be positive";
    QTest::newRow("beta text") << "--beta warm --out OUT/f.png"
                               << "--beta expects a number";
    QTest::newRow("latents zero") << "--latents 0 --out OUT/f.png"
                                  << "--latents must be between 1";
    QTest::newRow("w one number") << "--w 2 --out OUT/f.png"
                                  << "--w expects 2";
    QTest::newRow("empty range") << "--range 1,1,0,1 --out OUT/f.png"
                                 << "range is empty";
    QTest::newRow("grid too coarse") << "--grid 1x5 --out OUT/f.png"
                                     << "--grid must be between 2";
    QTest::newRow("unknown field") << "--field G --out OUT/f.png"
                                   << "--field must be F, Finf, E or posterior";
    // The render's own.
    QTest::newRow("unknown view") << "--view everything --out OUT/f.png"
                                  << "--view must be plane, latent, section, training or all";
    QTest::newRow("size without x") << "--size 1600 --out OUT/f.png"
                                    << "--size expects WIDTHxHEIGHT";
    QTest::newRow("size too small") << "--size 10x10 --out OUT/f.png"
                                    << "--size must be between 64 and 8192";
    QTest::newRow("size too large") << "--size 9000x100 --out OUT/f.png"
                                    << "--size must be between 64 and 8192";
    QTest::newRow("dpi") << "--dpi 5 --out OUT/f.png"
                         << "--dpi must be between 24 and 2400";
    QTest::newRow("observation") << "--y 1 --out OUT/f.png"
                                 << "--y expects 2";
    QTest::newRow("colour map") << "--colormap jet --out OUT/f.png"
                                << "--colormap must be viridis, cividis or cold-to-hot";
    QTest::newRow("layer") << "--show heatmap,glow --out OUT/f.png"
                           << "unknown layer \"glow\"";
    QTest::newRow("data and seed") << "--data DATA --seed 3 --out OUT/f.png"
                                   << "--seed goes with the generated data";
    QTest::newRow("missing data") << "--data OUT/none.csv --out OUT/f.png"
                                  << "--data";
    QTest::newRow("caption") << "--caption yes --out OUT/f.png"
                             << "--caption must be on or off";
    QTest::newRow("no out") << "--view plane"
                            << "--out is required";
    QTest::newRow("unknown format") << "--out OUT/f.jpg"
                                    << "unknown format";
    QTest::newRow("standard output") << "--out -"
                                     << "cannot go to standard output";
    QTest::newRow("missing directory") << "--out OUT/none/f.png"
                                       << "does not exist";
    QTest::newRow("out is a directory") << "--out OUT/dir.png"
                                        << "is a directory";
    QTest::newRow("sweep without frames") << "--sweep-beta 0.1:10:5"
                                          << "--frames is required";
    QTest::newRow("frames without sweep") << "--frames OUT/frames"
                                          << "--frames goes with --sweep-beta";
    QTest::newRow("sweep and out") << "--sweep-beta 0.1:10:5 --frames OUT/frames --out OUT/f.png"
                                   << "a sweep writes its frames into --frames";
    QTest::newRow("sweep shape") << "--sweep-beta 0.1:10 --frames OUT/frames"
                                 << "--sweep-beta expects FROM:TO:COUNT";
    QTest::newRow("sweep beta zero") << "--sweep-beta 0:10:5 --frames OUT/frames"
                                     << "both ends of beta must lie in (0, 1e6]";
    QTest::newRow("sweep no frames") << "--sweep-beta 0.1:10:0 --frames OUT/frames"
                                     << "--sweep-beta must be between 1 and 10000";
    QTest::newRow("sweep training") << "--view training --sweep-beta 0.1:10:5 --frames OUT/frames"
                                    << "the training view does not change with beta";
    QTest::newRow("frames into a file") << "--sweep-beta 0.1:10:5 --frames OUT/file.txt"
                                        << "is a file, not a directory";
    QTest::newRow("frames under nothing") << "--sweep-beta 0.1:10:5 --frames OUT/none/frames"
                                          << "does not exist";
    QTest::newRow("unknown model") << "--model circle --out OUT/f.png"
                                   << "--model must be ellipse, kmeans or sparse";
    QTest::newRow("k without kmeans") << "--k 3 --out OUT/f.png"
                                      << "--k goes with --model kmeans";
    QTest::newRow("alpha on kmeans") << "--model kmeans --alpha 1 --out OUT/f.png"
                                     << "--alpha goes with --model sparse";
    QTest::newRow("k too large") << "--model kmeans --k 500 --out OUT/f.png"
                                 << "--k must be between 1 and 200";
    QTest::newRow("k beyond the data") << "--model kmeans --k 30 --n 20 --out OUT/f.png"
                                       << "exceeds the 20 data points";
    QTest::newRow("alpha too large") << "--model sparse --alpha 50 --out OUT/f.png"
                                     << "--alpha must be between 0 and 10";
    QTest::newRow("missing session") << "--session OUT/none.json --out OUT/f.png"
                                     << "cannot open";
    QTest::newRow("not a session") << "--session OUT/file.txt --out OUT/f.png"
                                   << "--session";
    QTest::newRow("session and w") << "--session OUT/none.json --w 1,2 --out OUT/f.png"
                                   << "the session gives the lab";
    QTest::newRow("session and model") << "--session OUT/none.json --model kmeans --out OUT/f.png"
                                       << "the session gives the model";
}

void TestRenderCommand::rejectsBadOptions()
{
    QFETCH(QString, args);
    QFETCH(QString, messagePart);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("dir.png")));
    QFile file(dir.filePath(QStringLiteral("file.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    args.replace(QStringLiteral("OUT"), dir.path()).replace(QStringLiteral("DATA"), m_dataFile);
    std::ostringstream out, err;
    std::vector<std::string> argv{"render"};
    for (const std::string &a : ebmtest::splitArgs(args))
        argv.push_back(a);
    QCOMPARE(cli::runHeadless(argv, out, err), 2);
    const QString message = QString::fromStdString(err.str());
    QVERIFY2(message.startsWith(QStringLiteral("ebmlab render: ")), qPrintable(message));
    QVERIFY2(message.contains(messagePart), qPrintable(message));
    QCOMPARE(message.count(QLatin1Char('\n')), 1);
    QVERIFY(out.str().empty());
    // Nothing was written: the directory holds what the test put there.
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList({QStringLiteral("dir.png"), QStringLiteral("file.txt")}));
}

void TestRenderCommand::badOptionsThroughTheBinary()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("f.png"));
    const Run run = runEbmlab(
        {QStringLiteral("render"), QStringLiteral("--beta"), QStringLiteral("-1"), QStringLiteral("--out"), out});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith("ebmlab render: --beta must be positive"), run.err.constData());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY(!QFile::exists(out));

    // An unwritable directory is found before anything is drawn.
    const QString locked = dir.filePath(QStringLiteral("locked"));
    QVERIFY(QDir().mkdir(locked));
    QVERIFY(QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner));
    if (QFileInfo(locked).isWritable())
        QSKIP("running as a user who may write anywhere (root)");
    const Run denied =
        runEbmlab({QStringLiteral("render"), QStringLiteral("--out"), locked + QStringLiteral("/f.png")});
    QCOMPARE(denied.exitCode, 2);
    QVERIFY2(denied.err.contains("is not writable"), denied.err.constData());
    QVERIFY(QDir(locked).isEmpty());
}

QImage TestRenderCommand::grabWindow(const QString &view, QSize size, const LabState &state, const QRectF &range,
                                     const std::vector<Vec2> *data)
{
    auto window = std::make_unique<MainWindow>();
    QWidget *target = targetOf(*window, view);
    if (view == QLatin1String("all")) {
        window->resize(size);
    } else {
        target->setFixedSize(size);
        if (view == QLatin1String("training"))
            window->findChild<QDockWidget *>(QStringLiteral("training"))->raise();
    }
    window->show();
    window->setState(state);
    window->plane()->setView(range.left(), range.right(), range.top(), range.bottom());
    if (data)
        window->setData(*data);
    const auto ready = [&] {
        return window->fieldIsCurrent() && window->trainingPanel()->epochCount() >= 1 &&
               (view != QLatin1String("training") || window->trainingPanel()->hasLandscape());
    };
    // Settled: the field is current and stays so after the plots' queued replots (which may refit the plane).
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (!QTest::qWaitFor(ready, 60000))
            return {};
        RepaintPacer::settle();
        if (ready() && RepaintPacer::instance().pending() == 0)
            return target->grab().toImage();
    }
    return {};
}

void TestRenderCommand::matchesTheWindow_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("args");
    QTest::addColumn<LabState>("state");
    QTest::addColumn<QRectF>("range");
    QTest::addColumn<bool>("customData");
    const QRectF square(QPointF(-3, -3), QPointF(3, 3));
    const LabState common = commonState();
    for (const char *view : {"plane", "latent", "section", "training"})
        QTest::newRow(view) << view << QSize(900, 700) << kCommonArgs << common << square << false;
    QTest::newRow("all") << "all" << QSize(1600, 1000) << kCommonArgs << common << square << false;

    LabState energy = common;
    energy.field = FieldKind::Energy;
    energy.zStar = 1.0;
    energy.latentCount = 24;
    energy.layers.arrows = true;
    energy.colorMap = ColorMap::ColdToHot;
    QTest::newRow("plane, E(y, z*), arrows, another range")
        << "plane" << QSize(1000, 600)
        << "--field E --z 1 --latents 24 --beta 2.5 --w 1.8,1.2 --y -0.8,1.1 --colormap cold-to-hot "
           "--show contours,arrows --section 0.5 --range -2,2.5,-1.5,1.5"
        << energy << QRectF(QPointF(-2, -1.5), QPointF(2.5, 1.5)) << false;

    LabState cold;
    cold.continuousLatent = true;
    cold.zeroTemperature = true;
    cold.resolution = 100;
    cold.dataset.seed = 9;
    cold.dataset.count = 40;
    QTest::newRow("plane, continuous z at zero temperature, seeded data")
        << "plane" << QSize(700, 700) << "--latents continuous --beta inf --grid 101x101 --seed 9 --n 40" << cold
        << square << false;
    QTest::newRow("plane, 800x640: new colour-scale ticks refit the plane")
        << "plane" << QSize(800, 640) << "" << LabState() << square << false;
    QTest::newRow("plane, data file") << "plane" << QSize(800, 640) << "--data DATA" << LabState() << square << true;

    // The lecture's other EBMs: centroids and atoms as the window draws them from the same seed and data.
    LabState kmeans;
    kmeans.modelKind = ModelKind::KMeans;
    kmeans.beta = 20.0;
    kmeans.kmeans.k = 5;
    kmeans.kmeans.seed = 3;
    kmeans.kmeans.centroids = initialCentroids(kmeans.kmeans, ellipseSamples(kmeans.dataset));
    QTest::newRow("plane, K-means") << "plane" << QSize(800, 640) << "--model kmeans --k 5 --init-seed 3 --beta 20"
                                    << kmeans << square << false;
    LabState sparse;
    sparse.modelKind = ModelKind::SparseCoding;
    sparse.sparse.alpha = 0.3;
    sparse.sparse.dictionary = initialDictionary(sparse.sparse);
    QTest::newRow("all, sparse coding") << "all" << QSize(1400, 900) << "--model sparse --alpha 0.3 --init-seed 1"
                                        << sparse << square << false;
}

void TestRenderCommand::matchesTheWindow()
{
    QFETCH(QString, view);
    QFETCH(QSize, size);
    QFETCH(QString, args);
    QFETCH(LabState, state);
    QFETCH(QRectF, range);
    QFETCH(bool, customData);
    const QString out = m_dir.filePath(QStringLiteral("%1-%2.png").arg(view).arg(QTest::currentDataTag()).simplified());
    args.replace(QStringLiteral("DATA"), m_dataFile);
    const Run run =
        runEbmlab(QStringList{QStringLiteral("render"), QStringLiteral("--view"), view, QStringLiteral("--size"),
                              QStringLiteral("%1x%2").arg(size.width()).arg(size.height())} +
                  words(args) + QStringList{QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QImage rendered(out);
    QCOMPARE(rendered.size(), size);
    QVERIFY(hasContent(rendered));

    const QImage grabbed = grabWindow(view, size, state, range, customData ? &m_data : nullptr);
    QVERIFY2(!grabbed.isNull(), "the window's field never became current");
    QCOMPARE(grabbed.size(), size);
    // The same drawing code at the same pixel size through two paths (the exporter's QCustomPlot::toPainter into
    // an image, the widget's own paint of its cached buffer): only antialiased edges may differ, by a few levels.
    // A different state moves whole regions (comparisonSeesADifferentState measures > 3 for a small change).
    const double difference = meanAbsoluteDifference(rendered, grabbed);
    qInfo("%s: mean absolute difference %.4f / 255", qPrintable(view), difference);
    if (difference >= 0.5) {
        grabbed.save(out + QStringLiteral(".grab.png"));
        QFile::copy(out, QDir::temp().filePath(QFileInfo(out).fileName()));
        grabbed.save(QDir::temp().filePath(QFileInfo(out).fileName() + QStringLiteral(".grab.png")));
    }
    QVERIFY2(difference < 0.5, qPrintable(QString::number(difference)));
}

void TestRenderCommand::sessionMatchesTheWindow()
{
    // A saved lab: K-means on data from a file, another view rectangle and a lesson; the figure is the window's
    // with that state, view and data.
    Session session;
    session.state.modelKind = ModelKind::KMeans;
    session.state.kmeans.k = 4;
    session.state.kmeans.centroids = initialCentroids(session.state.kmeans, m_data);
    session.state.beta = 4.0;
    session.state.observation = Vec2(-1.0, 0.5);
    session.data = m_data;
    session.customData = true;
    session.view = ViewBox{-2.5, 2.5, -2.0, 2.0};
    const QString path = m_dir.filePath(QStringLiteral("lab.json"));
    QVERIFY(writeSession(path, session).isEmpty());
    const QString out = m_dir.filePath(QStringLiteral("session.png"));
    const Run run = runEbmlab({QStringLiteral("render"), QStringLiteral("--session"), path, QStringLiteral("--view"),
                               QStringLiteral("plane"), QStringLiteral("--size"), QStringLiteral("800x640"),
                               QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QImage rendered(out);
    QCOMPARE(rendered.size(), QSize(800, 640));
    const QImage grabbed = grabWindow(QStringLiteral("plane"), QSize(800, 640), session.state,
                                      QRectF(QPointF(-2.5, -2.0), QPointF(2.5, 2.0)), &m_data);
    QVERIFY(!grabbed.isNull());
    const double difference = meanAbsoluteDifference(rendered, grabbed);
    qInfo("session: mean absolute difference %.4f / 255", difference);
    QVERIFY2(difference < 0.5, qPrintable(QString::number(difference)));
}

void TestRenderCommand::comparisonSeesADifferentState()
{
    // The comparison can fail: the render of the common state against the window at a slightly warmer beta.
    const QSize size(900, 700);
    const QString out = m_dir.filePath(QStringLiteral("control.png"));
    const Run run = runEbmlab(QStringList{QStringLiteral("render"), QStringLiteral("--view"), QStringLiteral("plane"),
                                          QStringLiteral("--size"), QStringLiteral("900x700")} +
                              words(kCommonArgs) + QStringList{QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    LabState warmer = commonState();
    warmer.beta = 2.0;
    const QImage grabbed =
        grabWindow(QStringLiteral("plane"), size, warmer, QRectF(QPointF(-3, -3), QPointF(3, 3)), nullptr);
    const double difference = meanAbsoluteDifference(QImage(out), grabbed);
    qInfo("beta 2.5 against 2: mean absolute difference %.4f / 255", difference);
    QVERIFY2(difference > 2.0, qPrintable(QString::number(difference)));
}

void TestRenderCommand::pdfAndSvgAreVectorFigures_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QStringList>("labels"); // axis labels, as text in the file
    QTest::newRow("plane") << "plane" << QStringList{QStringLiteral("y₁"), QStringLiteral("y₂")};
    QTest::newRow("latent") << "latent" << QStringList{QStringLiteral("E(y, z)"), QStringLiteral("P")};
    QTest::newRow("section") << "section" << QStringList{QStringLiteral("F(y)")};
    QTest::newRow("training") << "training" << QStringList{QStringLiteral("epoch"), QStringLiteral("loss L")};
    QTest::newRow("all") << "all"
                         << QStringList{QStringLiteral("y₁"), QStringLiteral("E(y, z)"), QStringLiteral("F(y)"),
                                        QStringLiteral("free energy")};
}

void TestRenderCommand::pdfAndSvgAreVectorFigures()
{
    QFETCH(QString, view);
    QFETCH(QStringList, labels);
    const QSize size = view == QLatin1String("all") ? QSize(1600, 1000) : QSize(800, 600);
    const QString sizeArg = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
    const QString pdf = m_dir.filePath(view + QStringLiteral(".pdf")),
                  svg = m_dir.filePath(view + QStringLiteral(".svg"));
    for (const QString &out : {pdf, svg}) {
        const Run run =
            runEbmlab({QStringLiteral("render"), QStringLiteral("--view"), view, QStringLiteral("--size"), sizeArg,
                       QStringLiteral("--caption"), QStringLiteral("on"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdfFile.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    QVERIFY(bytes.trimmed().endsWith("%%EOF"));
    // The page is the figure at 96 logical pixels per inch: size x 72 / 96 points.
    if (const QString pdfinfo = QStandardPaths::findExecutable(QStringLiteral("pdfinfo")); !pdfinfo.isEmpty()) {
        QProcess info;
        info.start(pdfinfo, {pdf});
        QVERIFY(info.waitForFinished(30000));
        QCOMPARE(info.exitCode(), 0);
        const QString text = QString::fromUtf8(info.readAllStandardOutput());
        QVERIFY2(
            text.contains(
                QStringLiteral("Page size:       %1 x %2 pts").arg(size.width() * 3 / 4).arg(size.height() * 3 / 4)),
            qPrintable(text));
    }
    if (const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext")); !pdftotext.isEmpty()) {
        QProcess extract;
        extract.start(pdftotext, {pdf, QStringLiteral("-")});
        QVERIFY(extract.waitForFinished(30000));
        const QString text = QString::fromUtf8(extract.readAllStandardOutput());
        for (const QString &label : labels)
            QVERIFY2(text.contains(label), qPrintable(label + QStringLiteral(" not in the PDF's text")));
        QVERIFY(text.contains(QStringLiteral("EBM Lab"))); // the caption
    }

    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.defaultSize(), size);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(svgFile.readAll());
    for (const QString &label : labels)
        QVERIFY2(text.contains(label.toHtmlEscaped()), qPrintable(label + QStringLiteral(" not in the SVG's text")));
    // Drawn, the SVG is the figure: not blank.
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    renderer.render(&painter);
    painter.end();
    QVERIFY(hasContent(image));
}

void TestRenderCommand::sweepWritesFramesOfEachBeta()
{
    const QString frames = m_dir.filePath(QStringLiteral("sweep"));
    const QStringList common{QStringLiteral("render"),  QStringLiteral("--view"),  QStringLiteral("plane"),
                             QStringLiteral("--size"),  QStringLiteral("640x480"), QStringLiteral("--show"),
                             QStringLiteral("contours")};
    const Run run = runEbmlab(common + QStringList{QStringLiteral("--sweep-beta"), QStringLiteral("0.1:10:5"),
                                                   QStringLiteral("--frames"), frames + QStringLiteral("/")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QStringList names = QDir(frames).entryList({QStringLiteral("frame_*.png")}, QDir::Files, QDir::Name);
    QCOMPARE(names, QStringList({QStringLiteral("frame_0001.png"), QStringLiteral("frame_0002.png"),
                                 QStringLiteral("frame_0003.png"), QStringLiteral("frame_0004.png"),
                                 QStringLiteral("frame_0005.png")}));
    QList<QImage> images;
    for (const QString &name : names) {
        images.push_back(QImage(QDir(frames).filePath(name)));
        QCOMPARE(images.last().size(), QSize(640, 480));
        QVERIFY(hasContent(images.last()));
    }
    for (int i = 1; i < images.size(); ++i) {
        const double step = meanAbsoluteDifference(images[i - 1], images[i]);
        qInfo("frame %d against frame %d: mean absolute difference %.2f / 255", i + 1, i, step);
        QVERIFY2(step > 1.0, qPrintable(names[i]));
    }

    // Frame k is the figure at beta_k = 0.1 * 100^(k/4), log-spaced: frames 1, 3 and 5 are the single renders at
    // beta 0.1, 1 and 10 (with the caption that frames carry).
    const std::pair<int, QString> checks[] = {
        {0, QStringLiteral("0.1")}, {2, QStringLiteral("1")}, {4, QStringLiteral("10")}};
    for (const auto &[index, beta] : checks) {
        const QString single = m_dir.filePath(QStringLiteral("beta-%1.png").arg(beta));
        const Run one = runEbmlab(common + QStringList{QStringLiteral("--beta"), beta, QStringLiteral("--caption"),
                                                       QStringLiteral("on"), QStringLiteral("--out"), single});
        QVERIFY2(one.exitCode == 0, one.err.constData());
        const double difference = meanAbsoluteDifference(QImage(single), images[index]);
        qInfo("frame %d against the render at beta %s: mean absolute difference %.4f / 255", index + 1,
              qPrintable(beta), difference);
        QVERIFY2(difference < 0.05, qPrintable(QStringLiteral("beta %1: %2").arg(beta).arg(difference)));
    }
}

void TestRenderCommand::ignoresAPlatformThatNeedsADisplay()
{
    // QT_QPA_PLATFORM=xcb without DISPLAY would abort a GUI program; render always draws offscreen.
    const QString out = m_dir.filePath(QStringLiteral("xcb.png"));
    const Run run = runEbmlab({QStringLiteral("render"), QStringLiteral("--view"), QStringLiteral("section"),
                               QStringLiteral("--size"), QStringLiteral("400x300"), QStringLiteral("--out"), out},
                              QStringLiteral("xcb"));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(QImage(out).size(), QSize(400, 300));
}

QTEST_MAIN(TestRenderCommand)
#include "tst_rendercommand.moc"
