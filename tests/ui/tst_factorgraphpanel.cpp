// The energy graph panel draws each model's computation graph with the lecture's formulas, highlights the term the
// plane shows, paints it (the highlight colour is on screen), exports it as vector text, and scales with its font.
#include "exporter.h"
#include "factorgraphpanel.h"
#include "mainwindow.h"
#include "plotstyle.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace ebm;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

//! Pixels within \a tolerance of \a colour in every channel.
int pixelsNear(const QImage &image, const QColor &colour, int tolerance)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - colour.red()) <= tolerance && std::abs(c.green() - colour.green()) <= tolerance &&
                std::abs(c.blue() - colour.blue()) <= tolerance)
                ++count;
        }
    }
    return count;
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> seen;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            seen.insert(image.pixel(x, y));
    }
    return int(seen.size());
}

QString modelName(ModelKind kind)
{
    return QString::fromStdString(modelKindName(kind));
}

} // namespace

class TestFactorGraphPanel : public QObject
{
    Q_OBJECT

private slots:
    void graphFollowsModelAndField_data();
    void graphFollowsModelAndField();
    void paintsTheHighlight_data() { graphFollowsModelAndField_data(); }
    void paintsTheHighlight();
    void svgKeepsTheLabelsAsText_data();
    void svgKeepsTheLabelsAsText();
    void edgesAreTheLecturesComputation();
    void zStarIsShownForTheEnergy();
    void presentationModeScalesThePaintedText();
    void mainWindowFeedsTheGraph();
    void screenshots();
};

void TestFactorGraphPanel::graphFollowsModelAndField_data()
{
    QTest::addColumn<ModelKind>("model");
    QTest::addColumn<FieldKind>("field");
    QTest::addColumn<double>("beta");
    QTest::addColumn<QStringList>("highlighted"); // the principal node first
    QTest::addColumn<QStringList>("labels");      // formulas of the lecture the graph must carry

    // The lecture's formulas, written out here independently of the panel's code.
    const QStringList ellipse{"y", "z", "Dec", "w₁ cos z", "w₂ sin z", "C", "‖y − ỹ‖²", "R", "0 (none)", "E"};
    const QStringList kmeans{"y", "z", "Dec", "W z", "C", "‖y − ỹ‖²", "R", "0 if z one-hot", "E"};
    const QStringList sparse{"ẏ", "ẏ = (1, y)", "z", "z ∈ ℝᵈ", "Dec", "W z", "C", "‖ẏ − ỹ‖²", "R", "α‖z‖₁", "E"};
    const QStringList fBeta{"softmin_z", "F_β"}, fInf{"min_z", "F_∞"};
    const QStringList posterior{"softmin_z", "P_β"};

    for (auto [model, base] : {std::pair{ModelKind::Ellipse, ellipse}, std::pair{ModelKind::KMeans, kmeans}}) {
        const QString m = modelName(model);
        QTest::addRow("%s F beta=2", qPrintable(m))
            << model << FieldKind::FreeEnergy << 2.0 << QStringList{"softmin", "E", "F"}
            << base + fBeta + QStringList{"β = 2"};
        QTest::addRow("%s F beta=inf", qPrintable(m))
            << model << FieldKind::FreeEnergy << kInf << QStringList{"min", "E", "F"} << base + fInf;
        QTest::addRow("%s Finf", qPrintable(m)) << model << FieldKind::ZeroTemperature << 1.0
                                                << QStringList{"min", "E", "F"} << base + fInf + QStringList{"E(y, ž)"};
        QTest::addRow("%s E", qPrintable(m))
            << model << FieldKind::Energy << 1.0 << QStringList{"E", "z"} << base + QStringList{"z* = "};
        QTest::addRow("%s posterior", qPrintable(m))
            << model << FieldKind::Posterior << 0.5 << QStringList{"softmin", "F", "z"} << base + posterior;
    }
    // Sparse coding has F_inf only (MODEL.md §4): any request shows the min over z, with the lecture's top-2 refit.
    const QStringList sparseInf = sparse + fInf + QStringList{"E(ẏ, ž₂)", "ISTA, top-2 refit"};
    QTest::addRow("sparse Finf") << ModelKind::SparseCoding << FieldKind::ZeroTemperature << 1.0
                                 << QStringList{"min", "E", "F"} << sparseInf;
    QTest::addRow("sparse F beta=inf") << ModelKind::SparseCoding << FieldKind::FreeEnergy << kInf
                                       << QStringList{"min", "E", "F"} << sparseInf;
    QTest::addRow("sparse F beta=1") << ModelKind::SparseCoding << FieldKind::FreeEnergy << 1.0
                                     << QStringList{"min", "E", "F"} << sparseInf + QStringList{"F∞ only"};
}

void TestFactorGraphPanel::graphFollowsModelAndField()
{
    QFETCH(ModelKind, model);
    QFETCH(FieldKind, field);
    QFETCH(double, beta);
    QFETCH(QStringList, highlighted);
    QFETCH(QStringList, labels);

    FactorGraphPanel panel;
    panel.setModel(model);
    panel.setField(field, beta);
    QCOMPARE(panel.highlightedNode(), highlighted.first());
    const QStringList lit = panel.highlightedNodes();
    QCOMPARE(QSet<QString>(lit.begin(), lit.end()), QSet<QString>(highlighted.begin(), highlighted.end()));

    const QStringList drawn = panel.nodeLabels();
    for (const QString &label : labels) {
        const bool found = std::any_of(drawn.begin(), drawn.end(), [&](const QString &d) { return d.contains(label); });
        QVERIFY2(found, qPrintable(QStringLiteral("%1 not in %2").arg(label, drawn.join(QStringLiteral(" | ")))));
    }
    // Every model has the same eight nodes: y, z, Dec, C, R, E, the reduction and the field.
    QCOMPARE(panel.graph().nodes.size(), 8);
    for (const char *id : {"y", "z", "Dec", "C", "R", "E", "F"})
        QVERIFY2(panel.graph().node(QString::fromLatin1(id)), id);
    const bool cold = panel.graph().node(QStringLiteral("min")) != nullptr;
    QVERIFY(cold != (panel.graph().node(QStringLiteral("softmin")) != nullptr));
    // The ellipse has no regulariser: R is drawn, dimmed.
    QCOMPARE(panel.graph().node(QStringLiteral("R"))->inactive, model == ModelKind::Ellipse);
    // E(y, z*) applies no reduction: the min/softmin and the field are dimmed.
    const bool energy = highlighted.first() == QLatin1String("E") && highlighted.contains(QStringLiteral("z"));
    QCOMPARE(panel.graph().node(QStringLiteral("F"))->inactive, energy);
}

void TestFactorGraphPanel::paintsTheHighlight()
{
    QFETCH(ModelKind, model);
    QFETCH(FieldKind, field);
    QFETCH(double, beta);
    QFETCH(QStringList, highlighted);

    FactorGraphPanel panel;
    panel.setModel(model);
    panel.setField(field, beta);
    panel.resize(panel.sizeHint());
    const QImage image = panel.grab().toImage();
    QVERIFY(distinctColours(image) > 20);
    // The thick outlines are solid pixels of the highlight colour; the other terms' colours are absent.
    const int lit = pixelsNear(image, panel.highlightColour(), 10);
    QVERIFY2(lit > 200, qPrintable(QString::number(lit)));
    for (GraphTerm other : {GraphTerm::FreeEnergy, GraphTerm::ZeroTemperature, GraphTerm::Energy}) {
        const QColor c = termColour(other);
        if (c != panel.highlightColour())
            QVERIFY2(pixelsNear(image, c, 10) < lit / 10, qPrintable(c.name()));
    }
    QCOMPARE(panel.highlightColour(), termColour(panel.graph().term));
}

void TestFactorGraphPanel::svgKeepsTheLabelsAsText_data()
{
    QTest::addColumn<ModelKind>("model");
    QTest::addColumn<FieldKind>("field");
    QTest::addRow("ellipse F") << ModelKind::Ellipse << FieldKind::FreeEnergy;
    QTest::addRow("kmeans E") << ModelKind::KMeans << FieldKind::Energy;
    QTest::addRow("sparse Finf") << ModelKind::SparseCoding << FieldKind::ZeroTemperature;
}

void TestFactorGraphPanel::svgKeepsTheLabelsAsText()
{
    QFETCH(ModelKind, model);
    QFETCH(FieldKind, field);
    FactorGraphPanel panel;
    panel.setModel(model);
    panel.setField(field, 1.0);
    panel.resize(panel.sizeHint());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("graph.svg"));
    ExportOptions options;
    options.caption = false;
    QCOMPARE(exportWidget(&panel, path, options), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(file.readAll());
    // A string is written as one <text> per run of one font (π and β may come from a fallback font), in the order
    // painted: the runs joined give the painted strings back.
    static const QRegularExpression textElement(QStringLiteral("<text[^>]*>([^<]*)</text>"));
    QString texts;
    for (const QRegularExpressionMatch &m : textElement.globalMatch(svg))
        texts += m.captured(1);
    QVERIFY(!texts.isEmpty());
    for (const GraphNode &node : panel.graph().nodes) {
        for (const QString &text : QStringList{node.symbol, node.subscript} + node.formula.split(QLatin1Char('\n'))) {
            if (!text.isEmpty())
                QVERIFY2(texts.contains(text.toHtmlEscaped()), qPrintable(text + QStringLiteral(" in ") + texts));
        }
    }
    QVERIFY(!svg.contains(QStringLiteral("<image"))); // painted as vectors, not a raster of the widget
}

void TestFactorGraphPanel::edgesAreTheLecturesComputation()
{
    for (ModelKind model : {ModelKind::Ellipse, ModelKind::KMeans, ModelKind::SparseCoding}) {
        const FactorGraph g = factorGraph(model, FieldKind::ZeroTemperature, kInf);
        QSet<QString> edges;
        for (const GraphEdge &e : g.edges)
            edges.insert(e.from + QStringLiteral("->") + e.to);
        // E(y, z) = C(y, Dec(z)) + R(z), F = min_z E.
        const QSet<QString> expected{"y->C", "z->Dec", "Dec->C", "z->R", "C->E", "R->E", "E->min", "min->F"};
        QCOMPARE(edges, expected);
        QCOMPARE(g.node(QStringLiteral("y"))->shape, GraphShape::Observed);
        QCOMPARE(g.node(QStringLiteral("z"))->shape, GraphShape::Latent);
        QCOMPARE(g.node(QStringLiteral("Dec"))->shape, GraphShape::Function);
        QCOMPARE(g.node(QStringLiteral("C"))->shape, GraphShape::Factor);
        QCOMPARE(g.node(QStringLiteral("R"))->shape, GraphShape::Factor);
    }
}

void TestFactorGraphPanel::zStarIsShownForTheEnergy()
{
    FactorGraphPanel panel;
    panel.setField(FieldKind::Energy, 1.0);
    panel.setZStar(1.5);
    QVERIFY(panel.nodeLabels().contains(QStringLiteral("z* = 1.50")));
    panel.setModel(ModelKind::KMeans);
    panel.setZStar(3); // the fourth centroid: e4 as the slides count from 1
    QVERIFY(panel.nodeLabels().contains(QStringLiteral("z* = e4")));
    panel.setField(FieldKind::FreeEnergy, 1.0); // F_beta sums over every z: no z* on the graph
    QVERIFY(!panel.nodeLabels().join(QLatin1Char(' ')).contains(QStringLiteral("z*")));
}

void TestFactorGraphPanel::presentationModeScalesThePaintedText()
{
    QWidget root;
    auto *panel = new FactorGraphPanel(&root); // scaleWidgetTree scales the root's children
    panel->resize(panel->sizeHint());
    const QSize before = panel->sizeHint();
    const QImage small = panel->grab().toImage();
    plotstyle::scaleWidgetTree(&root, 2.0);
    QCOMPARE(panel->sizeHint(), before * 2);
    panel->resize(panel->sizeHint());
    const QImage large = panel->grab().toImage();
    // Twice the font at twice the size: the same drawing, so the highlight covers about four times the pixels.
    const double ratio =
        double(pixelsNear(large, panel->highlightColour(), 10)) / pixelsNear(small, panel->highlightColour(), 10);
    QVERIFY2(ratio > 3.0 && ratio < 5.5, qPrintable(QString::number(ratio)));
    plotstyle::scaleWidgetTree(&root, 0.5);
    QCOMPARE(panel->sizeHint(), before);
}

void TestFactorGraphPanel::mainWindowFeedsTheGraph()
{
    MainWindow window;
    FactorGraphPanel *panel = window.graphPanel();
    QVERIFY(panel);
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("energyGraph"));
    QVERIFY(dock);
    QCOMPARE(dock->windowTitle(), QStringLiteral("Energy graph"));
    QCOMPARE(dock->widget(), panel);
    LabState s = window.state();
    s.field = FieldKind::FreeEnergy;
    s.beta = 3.0;
    s.zeroTemperature = false;
    window.setState(s);
    QCOMPARE(panel->highlightedNode(), QStringLiteral("softmin"));
    QVERIFY(panel->nodeLabels().contains(QStringLiteral("β = 3")));
    s.zeroTemperature = true; // the exact beta = inf switch: F is F_inf
    window.setState(s);
    QCOMPARE(panel->highlightedNode(), QStringLiteral("min"));
    s.field = FieldKind::Energy;
    s.zStar = 1.25;
    window.setState(s);
    QCOMPARE(panel->highlightedNode(), QStringLiteral("E"));
    QVERIFY(panel->nodeLabels().contains(QStringLiteral("z* = 1.25")));
    s.field = FieldKind::Posterior;
    s.zeroTemperature = false;
    window.setState(s);
    QCOMPARE(panel->highlightedNode(), QStringLiteral("softmin"));
    QVERIFY(panel->highlightedNodes().contains(QStringLiteral("z")));
    // The View menu toggles the dock.
    QAction *toggle = dock->toggleViewAction();
    bool inViewMenu = false;
    for (QObject *o : toggle->associatedObjects()) {
        if (auto *menu = qobject_cast<QMenu *>(o))
            inViewMenu = inViewMenu || menu->title() == QStringLiteral("&View");
    }
    QVERIFY(inViewMenu);
}

// Set EBM_FACTORGRAPH_SHOTS to a directory to look at every model's graph at dock size and at 2x.
void TestFactorGraphPanel::screenshots()
{
    const QString dir = qEnvironmentVariable("EBM_FACTORGRAPH_SHOTS");
    if (dir.isEmpty())
        QSKIP("EBM_FACTORGRAPH_SHOTS not set");
    QDir().mkpath(dir);
    const std::initializer_list<std::pair<FieldKind, double>> fields{{FieldKind::FreeEnergy, 1.0},
                                                                     {FieldKind::ZeroTemperature, kInf},
                                                                     {FieldKind::Energy, 1.0},
                                                                     {FieldKind::Posterior, 1.0}};
    {
        MainWindow window; // the dock in its place
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.displayedValues().size() > 0, 20000);
        QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("window.png"))));
    }
    for (ModelKind model : {ModelKind::Ellipse, ModelKind::KMeans, ModelKind::SparseCoding}) {
        for (const auto &[field, beta] : fields) {
            for (double scale : {1.0, 2.0}) {
                FactorGraphPanel panel;
                panel.setModel(model);
                panel.setField(field, beta);
                panel.setZStar(model == ModelKind::KMeans ? 2.0 : 0.79);
                QFont f = panel.font();
                f.setPointSizeF(f.pointSizeF() * scale);
                panel.setFont(f);
                panel.resize(panel.sizeHint());
                const QString name = QStringLiteral("%1_%2_x%3.png")
                                         .arg(modelName(model), QString::fromStdString(fieldKindName(field)))
                                         .arg(scale);
                ExportOptions options;
                options.caption = false;
                QCOMPARE(exportWidget(&panel, QDir(dir).filePath(name), options), QString());
            }
        }
    }
}

QTEST_MAIN(TestFactorGraphPanel)
#include "tst_factorgraphpanel.moc"
