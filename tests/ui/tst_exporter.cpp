// Export of real panels: PNG at any size and DPI, PDF and SVG as vector with text, the caption,
// and the widget left as it was.
#include "exporter.h"
#include "labstate.h"
#include "latentpanel.h"
#include "math/dataset.h"
#include "math/field.h"
#include "math/section.h"
#include "observationplane.h"
#include "sectionpanel.h"

#include <qcustomplot.h>

#include <QDir>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace ebm;

class TestExporter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pngHasTheRequestedPixels_data();
    void pngHasTheRequestedPixels();
    void higherDpiAddsPixelsNotLayout();
    void planeKeepsEqualAspect_data();
    void planeKeepsEqualAspect();
    void svgIsVectorWithText_data() { vectorRows(); }
    void svgIsVectorWithText();
    void pdfIsVectorWithText_data() { vectorRows(); }
    void pdfIsVectorWithText();
    void svgClipsLikeThePlot();
    void captionChangesTheOutput();
    void restoresTheWidget_data();
    void restoresTheWidget();
    void visibleWindowIsScaledNotResized();
    void prepareFillsAWiderView();
    void scrolledAwayChildrenStayHidden();

private:
    void vectorRows();
    QWidget *widget(const QString &name) const;
    //! Files go to a temporary directory, or to $EBM_EXPORT_KEEP to look at them afterwards.
    QString path(const QString &name) const
    {
        return qEnvironmentVariableIsSet("EBM_EXPORT_KEEP")
                   ? QDir(qEnvironmentVariable("EBM_EXPORT_KEEP")).filePath(name)
                   : m_dir.filePath(name);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ObservationPlane> m_plane;
    std::unique_ptr<LatentPanel> m_latent;
    std::unique_ptr<SectionPanel> m_section;
    std::unique_ptr<QMainWindow> m_composite; //!< menus, a label and a plane: what "whole window" exports are
};

namespace {

//! How many distinct colours the image has, up to a cap: a blank image has one.
int distinctColours(const QImage &image, int cap)
{
    QSet<QRgb> seen;
    for (int y = 0; y < image.height() && seen.size() < cap; y += 3) {
        for (int x = 0; x < image.width() && seen.size() < cap; x += 3)
            seen.insert(image.pixel(x, y));
    }
    return int(seen.size());
}

//! Mean absolute difference of the grey levels, 0 … 255.
double meanDifference(const QImage &a, const QImage &b)
{
    const QImage ga = a.convertToFormat(QImage::Format_Grayscale8), gb = b.convertToFormat(QImage::Format_Grayscale8);
    double sum = 0.0;
    for (int y = 0; y < ga.height(); ++y) {
        const uchar *ra = ga.constScanLine(y), *rb = gb.constScanLine(y);
        for (int x = 0; x < ga.width(); ++x)
            sum += std::abs(int(ra[x]) - int(rb[x]));
    }
    return sum / (double(ga.width()) * ga.height());
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

//! The text pdftotext extracts, or a null string when poppler-utils is not installed.
QString pdfText(const QString &path)
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    if (tool.isEmpty())
        return {};
    QProcess process;
    process.start(tool, {path, QStringLiteral("-")});
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        return QStringLiteral("<pdftotext failed: %1>").arg(QString::fromLocal8Bit(process.readAllStandardError()));
    return QString::fromUtf8(process.readAllStandardOutput());
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

void TestExporter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (qEnvironmentVariableIsSet("EBM_EXPORT_KEEP"))
        QVERIFY(QDir().mkpath(qEnvironmentVariable("EBM_EXPORT_KEEP")));
    const EllipseEbm model;
    const Vec2 y(1.2, 1.6);
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 61, 61};
    m_plane = std::make_unique<ObservationPlane>();
    m_plane->setField(grid, *evaluateField(model, FieldRequest{FieldKind::FreeEnergy, 1.0, 0.0}, grid),
                      QStringLiteral("Fᵦ(y), β = 1"));
    m_plane->setModelPicture(model, y, 1.0, true);
    m_plane->setData(ellipseSamples(DatasetSpec{}));
    m_plane->resize(900, 700);

    m_latent = std::make_unique<LatentPanel>();
    m_latent->setState(model, y, 1.0);
    m_latent->resize(700, 600);

    m_section = std::make_unique<SectionPanel>();
    m_section->setProfile(sectionProfile(model, SectionLine{}, {kInfiniteBeta, 1.0, 0.1}, 201), 1.0,
                          sectionAxisLabel(SectionLine{}));
    m_section->resize(700, 450);

    m_composite = std::make_unique<QMainWindow>();
    m_composite->menuBar()->addMenu(QStringLiteral("&File"));
    m_composite->menuBar()->addMenu(QStringLiteral("&Lessons"));
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(new QLabel(QStringLiteral("Composite banner text"), central));
    auto *inner = new ObservationPlane(central);
    inner->setField(grid, *evaluateField(model, FieldRequest{FieldKind::ZeroTemperature, 1.0, 0.0}, grid),
                    QStringLiteral("F∞(y)"));
    inner->setModelPicture(model, y, kInfiniteBeta, false);
    layout->addWidget(inner, 1);
    m_composite->setCentralWidget(central);
    m_composite->resize(800, 760);
}

QWidget *TestExporter::widget(const QString &name) const
{
    if (name == QLatin1String("plane"))
        return m_plane.get();
    if (name == QLatin1String("latent"))
        return m_latent.get();
    if (name == QLatin1String("section"))
        return m_section.get();
    return m_composite.get();
}

void TestExporter::pngHasTheRequestedPixels_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<double>("dpi");
    QTest::addColumn<QSize>("pixels");
    QTest::newRow("plane 1600x1200") << "plane" << QSize(1600, 1200) << 96.0 << QSize(1600, 1200);
    QTest::newRow("plane 1600x1200 at 192 dpi") << "plane" << QSize(1600, 1200) << 192.0 << QSize(3200, 2400);
    QTest::newRow("plane at its own size") << "plane" << QSize() << 96.0 << QSize(900, 700);
    QTest::newRow("latent 1000x800 at 144 dpi") << "latent" << QSize(1000, 800) << 144.0 << QSize(1500, 1200);
    QTest::newRow("section 900x600") << "section" << QSize(900, 600) << 96.0 << QSize(900, 600);
    QTest::newRow("composite at 72 dpi") << "composite" << QSize(1200, 900) << 72.0 << QSize(900, 675);
}

void TestExporter::pngHasTheRequestedPixels()
{
    QFETCH(QString, target);
    QFETCH(QSize, size);
    QFETCH(double, dpi);
    QFETCH(QSize, pixels);
    QWidget *w = widget(target);
    const QSize before = w->size();
    const QString file = path(target + QStringLiteral("_%1.png").arg(QTest::currentDataTag()).replace(' ', '_'));
    const QString error = exportWidget(w, file, sized(size.width(), size.height(), dpi));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QImage image(file);
    QCOMPARE(image.size(), pixels);
    QVERIFY2(distinctColours(image, 40) >= 40, "the export is (nearly) blank");
    QVERIFY(std::abs(image.dotsPerMeterX() * 0.0254 - dpi) < 1.0);
    QCOMPARE(w->size(), before);
}

void TestExporter::higherDpiAddsPixelsNotLayout()
{
    // Fonts sized from the image's DPI would double at 192 dpi; then the downscaled image would not match.
    const QString at96 = path(QStringLiteral("dpi96.png")), at192 = path(QStringLiteral("dpi192.png"));
    QVERIFY(exportWidget(m_plane.get(), at96, sized(800, 600, 96)).isEmpty());
    QVERIFY(exportWidget(m_plane.get(), at192, sized(800, 600, 192)).isEmpty());
    const QImage small(at96), large(at192);
    QCOMPARE(large.size(), small.size() * 2);
    const double difference =
        meanDifference(small, large.scaled(small.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    qInfo("mean grey difference, 192 dpi downscaled vs 96 dpi: %.2f / 255", difference);
    QVERIFY2(difference < 6.0, qPrintable(QString::number(difference)));
}

void TestExporter::planeKeepsEqualAspect_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<double>("dpi");
    QTest::newRow("landscape") << QSize(1600, 1200) << 96.0;
    QTest::newRow("portrait at 192 dpi") << QSize(900, 1200) << 192.0;
    QTest::newRow("its own size") << QSize() << 96.0;
}

void TestExporter::planeKeepsEqualAspect()
{
    // A fresh, never drawn plane (the worst case for a plot that fits its ranges to its axis rect) with only a
    // square heatmap: the square must come out square whatever the figure's shape.
    QFETCH(QSize, size);
    QFETCH(double, dpi);
    ObservationPlane plane;
    const Grid square{-1.5, 1.5, -1.5, 1.5, 31, 31};
    plane.setField(square, *evaluateField(EllipseEbm(), FieldRequest{}, square), QStringLiteral("F"));
    plane.setLayers(PlaneLayers{true, false, false, false, false, false, false, false, false});
    plane.resize(900, 700);
    const QString file = path(QStringLiteral("aspect_%1.png").arg(QTest::currentDataTag()).replace(' ', '_'));
    QVERIFY(exportWidget(&plane, file, sized(size.width(), size.height(), dpi)).isEmpty());
    const QImage image(file);
    // The square's extent: its longest run of colour along a row and along a column (the legend's icons are short).
    const int right = image.width() - int(130 * dpi / 96); // left of the colour bar
    QList<int> rows(image.height(), 0), columns(right, 0);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < right; ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.hsvSaturation() > 80 && c.value() > 40) {
                ++rows[y];
                ++columns[x];
            }
        }
    }
    const int width = *std::max_element(rows.begin(), rows.end());
    const int height = *std::max_element(columns.begin(), columns.end());
    QVERIFY(width > 100);
    QVERIFY2(std::abs(double(width) / height - 1.0) < 0.02,
             qPrintable(QStringLiteral("the square is %1 x %2 pixels").arg(width).arg(height)));
}

void TestExporter::vectorRows()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("label"); // an axis label or a read-out that must stay text
    QTest::newRow("plane") << "plane"
                           << "y₂";
    QTest::newRow("latent") << "latent"
                            << "E(y, z)";
    QTest::newRow("section") << "section"
                             << "F(y)";
    QTest::newRow("composite") << "composite"
                               << "Composite banner text";
}

void TestExporter::svgIsVectorWithText()
{
    QFETCH(QString, target);
    QFETCH(QString, label);
    const QString file = path(target + QStringLiteral(".svg"));
    const QString error = exportWidget(widget(target), file, sized(1200, 900));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray svg = readAll(file);
    QVERIFY(svg.contains("<text"));
    QVERIFY2(svg.contains(label.toUtf8()), qPrintable(label));
    if (target == QLatin1String("plane"))
        QVERIFY(svg.contains("<image")); // the heatmap, as a lossless PNG

    QSvgRenderer renderer(file);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.defaultSize(), QSize(1200, 900));
    // Drawn by Qt's own SVG renderer it must look like the PNG export: same layout, same text sizes.
    QImage drawn(1200, 900, QImage::Format_ARGB32_Premultiplied);
    drawn.fill(Qt::white);
    QPainter painter(&drawn);
    renderer.render(&painter);
    painter.end();
    const QString png = path(target + QStringLiteral("_for_svg.png"));
    QVERIFY(exportWidget(widget(target), png, sized(1200, 900)).isEmpty());
    const double difference = meanDifference(drawn, QImage(png));
    if (target == QLatin1String("composite")) { // the menu titles, drawn under a clip with holes
        auto darkInMenuBar = [](const QImage &image) {
            int n = 0;
            for (int y = 0; y < 18; ++y) {
                for (int x = 0; x < 200; ++x)
                    n += qGray(image.pixel(x, y)) < 90;
            }
            return n;
        };
        QVERIFY(darkInMenuBar(QImage(png)) > 20);
        QVERIFY(darkInMenuBar(drawn) > darkInMenuBar(QImage(png)) / 2);
    }
    qInfo("mean grey difference, SVG drawn by QSvgRenderer vs PNG: %.2f / 255", difference);
    QVERIFY2(difference < 8.0, qPrintable(QString::number(difference)));
}

void TestExporter::pdfIsVectorWithText()
{
    QFETCH(QString, target);
    QFETCH(QString, label);
    const QString file = path(target + QStringLiteral(".pdf"));
    const QString error = exportWidget(widget(target), file, sized(1200, 900, 96, QStringLiteral("pdf caption 42")));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray pdf = readAll(file);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    QVERIFY2(!pdf.contains("/DCTDecode"), "an image was stored as lossy JPEG");
    // 1200 x 900 px at 96 dpi = 12.5 x 9.375 in = 900 x 675 pt
    QVERIFY(QRegularExpression(QStringLiteral("/MediaBox \\[0 0 900(\\.0+)? 675(\\.0+)?\\]"))
                .match(QString::fromLatin1(pdf))
                .hasMatch());
    const QString text = pdfText(file);
    if (text.isNull())
        QSKIP("pdftotext (poppler-utils) is not installed: the text check is skipped");
    QVERIFY2(text.contains(label), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("pdf caption 42")), qPrintable(text));
}

void TestExporter::svgClipsLikeThePlot()
{
    // Zoomed in, the manifold, latents and data reach past the axis rect: the SVG must cut them where the plot does
    // (QSvgGenerator itself ignores clipping) and so look like the PNG, margins included.
    ObservationPlane plane;
    const EllipseEbm model;
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 61, 61};
    plane.setField(grid, *evaluateField(model, FieldRequest{}, grid), QStringLiteral("F"));
    plane.setModelPicture(model, Vec2(1.2, 1.6), 1.0, true);
    plane.setData(ellipseSamples(DatasetSpec{}));
    plane.resize(900, 700);
    plane.setView(0.5, 2.5, -0.5, 1.5);
    const QString svg = path(QStringLiteral("zoomed.svg")), png = path(QStringLiteral("zoomed.png"));
    QVERIFY(exportWidget(&plane, svg, sized(1000, 800)).isEmpty());
    QVERIFY(exportWidget(&plane, png, sized(1000, 800)).isEmpty());
    QSvgRenderer renderer(svg);
    QImage drawn(1000, 800, QImage::Format_ARGB32_Premultiplied);
    drawn.fill(Qt::white);
    QPainter painter(&drawn);
    renderer.render(&painter);
    painter.end();
    const QImage reference(png);
    auto colouredInMargins = [](const QImage &image) { // left of the y axis and above the axis rect
        int n = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                n += (x < 40 || y < 8) && c.hsvSaturation() > 80 && c.value() > 40;
            }
        }
        return n;
    };
    QCOMPARE(colouredInMargins(reference), 0);
    QCOMPARE(colouredInMargins(drawn), 0);
    const double difference = meanDifference(drawn, reference);
    QVERIFY2(difference < 6.0, qPrintable(QString::number(difference)));
}

void TestExporter::captionChangesTheOutput()
{
    const QString caption = QStringLiteral("EBM Lab test · w = (2, 1.5) · β = 1");
    const QString on = path(QStringLiteral("caption_on.png")), off = path(QStringLiteral("caption_off.png")),
                  empty = path(QStringLiteral("caption_empty.png"));
    QVERIFY(exportWidget(m_plane.get(), on, sized(1000, 800, 96, caption)).isEmpty());
    QVERIFY(exportWidget(m_plane.get(), off, sized(1000, 800)).isEmpty());
    ExportOptions noText = sized(1000, 800);
    noText.caption = true; // switched on, but nothing to say: no strip
    QVERIFY(exportWidget(m_plane.get(), empty, noText).isEmpty());
    const QImage withCaption(on), without(off);
    QCOMPARE(withCaption.size(), QSize(1000, 800));
    QCOMPARE(without.size(), QSize(1000, 800));
    QVERIFY(withCaption != without);
    QCOMPARE(QImage(empty), without);

    const QString svgOn = path(QStringLiteral("caption_on.svg")), svgOff = path(QStringLiteral("caption_off.svg"));
    QVERIFY(exportWidget(m_plane.get(), svgOn, sized(1000, 800, 96, caption)).isEmpty());
    QVERIFY(exportWidget(m_plane.get(), svgOff, sized(1000, 800)).isEmpty());
    QVERIFY(readAll(svgOn).contains("EBM Lab test"));
    QVERIFY(!readAll(svgOff).contains("EBM Lab test"));
}

void TestExporter::restoresTheWidget_data()
{
    QTest::addColumn<bool>("shown");
    QTest::newRow("hidden") << false;
    QTest::newRow("shown in a window") << true;
}

void TestExporter::restoresTheWidget()
{
    QFETCH(bool, shown);
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *plane = new ObservationPlane(&window);
    layout->addWidget(plane);
    window.resize(700, 600);
    if (shown) {
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
    } else {
        plane->grab(); // lays the hidden window out
    }
    plane->plot()->replot();
    const QSize size = plane->size();
    const QRectF range = plane->visibleRange();
    const QPoint pixel = plane->toPixels(Vec2(1.0, -0.5));
    QSignalSpy moved(plane, &ObservationPlane::visibleRangeChanged);
    const QString file = path(QStringLiteral("restore_%1.png").arg(shown));
    QVERIFY(exportWidget(plane, file, sized(1600, 600)).isEmpty()); // wider: the axes take another range meanwhile
    QCOMPARE(QImage(file).size(), QSize(1600, 600));
    QCOMPARE(plane->size(), size);
    QCOMPARE(plane->visibleRange(), range);
    QCOMPARE(plane->toPixels(Vec2(1.0, -0.5)), pixel);
    QCOMPARE(moved.count(), 0);
}

void TestExporter::visibleWindowIsScaledNotResized()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(new QLabel(QStringLiteral("a shown top-level window"), &window));
    auto *plane = new ObservationPlane(&window);
    layout->addWidget(plane);
    window.resize(600, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString file = path(QStringLiteral("window.png"));
    QVERIFY(exportWidget(&window, file, sized(1200, 1000)).isEmpty());
    QCOMPARE(window.size(), QSize(600, 500)); // the window manager's window was not resized
    const QImage image(file);
    QCOMPARE(image.size(), QSize(1200, 1000));
    QVERIFY(distinctColours(image, 20) >= 20);
}

void TestExporter::prepareFillsAWiderView()
{
    // The field covers [-3, 3]^2; a wide figure shows more of the plane, which prepare() fills.
    ObservationPlane plane;
    const EllipseEbm model;
    const Grid square{-3.0, 3.0, -3.0, 3.0, 41, 41};
    plane.setField(square, *evaluateField(model, FieldRequest{}, square), QStringLiteral("F"));
    plane.resize(600, 600);
    auto leftEdge = [](const QImage &image) { return image.pixelColor(image.width() / 10, image.height() / 2); };
    const QString without = path(QStringLiteral("wide_without.png")), with = path(QStringLiteral("wide_with.png"));
    QVERIFY(exportWidget(&plane, without, sized(1600, 700)).isEmpty());
    QCOMPARE(leftEdge(QImage(without)).hsvSaturation(), 0); // white: no field there
    ExportOptions options = sized(1600, 700);
    QRectF seen;
    options.prepare = [&] {
        seen = plane.visibleRange();
        const Grid grid{seen.left(), seen.right(), seen.top(), seen.bottom(), 81, 41};
        plane.setField(grid, *evaluateField(model, FieldRequest{}, grid), QStringLiteral("F"));
    };
    QVERIFY(exportWidget(&plane, with, options).isEmpty());
    QVERIFY2(seen.width() > 2.0 * seen.height(), "prepare() runs at the figure's layout");
    QVERIFY(leftEdge(QImage(with)).hsvSaturation() > 80);
}

void TestExporter::scrolledAwayChildrenStayHidden()
{
    // A dock's scroll area with spin boxes below its fold (the parameter dock on a short window): their digits must
    // not show in the export where the window shows the widgets under the scroll area. The export is compared with
    // the window's own grab, which clips as the screen does.
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *scroll = new QScrollArea;
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    for (int i = 0; i < 12; ++i) {
        auto *box = new QSpinBox;
        box->setRange(0, 999999);
        box->setValue(888888);
        column->addWidget(box);
    }
    scroll->setWidget(content);
    scroll->setFixedHeight(90);
    layout->addWidget(scroll);
    layout->addWidget(new QLabel(QStringLiteral("below the fold")));
    layout->addStretch();
    window.resize(300, 400);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QImage grabbed = window.grab().toImage().convertToFormat(QImage::Format_RGB32);

    ExportOptions options = sized(300, 400);
    options.caption = false;
    const QString file = path(QStringLiteral("scrolled.png"));
    QVERIFY(exportWidget(&window, file, options).isEmpty());
    const QImage exported = QImage(file).convertToFormat(QImage::Format_RGB32);
    QCOMPARE(exported.size(), grabbed.size());
    // Below the scroll area only the label and the background: a spin box's digits there differ by whole glyphs.
    const int fold = scroll->geometry().bottom() + 1;
    const QRect below(0, fold, 300, 400 - fold);
    const double difference = meanDifference(exported.copy(below), grabbed.copy(below));
    qInfo("below the scroll area: mean grey difference %.3f / 255", difference);
    QVERIFY2(difference < 0.5, qPrintable(QString::number(difference)));
}

QTEST_MAIN(TestExporter)
#include "tst_exporter.moc"
