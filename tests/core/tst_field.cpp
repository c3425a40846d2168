// Scalar fields over a grid (the double-precision reference path) and the grid itself.
#include "math/field.h"
#include "testhelpers.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

using ebm::EllipseEbm;
using ebm::FieldKind;
using ebm::FieldRequest;
using ebm::Grid;
using ebm::LatentSpec;
using ebm::Vec2;

Q_DECLARE_METATYPE(ebm::FieldKind)
Q_DECLARE_METATYPE(ebm::Grid)

namespace {

// A small, lopsided grid: different nx and ny catch a transposed matrix.
Grid smallGrid()
{
    Grid g;
    g.x0 = -2.5;
    g.x1 = 3.1;
    g.y0 = -1.7;
    g.y1 = 2.2;
    g.nx = 7;
    g.ny = 5;
    return g;
}

// The model's own answer for one point, through its public API rather than fieldValue().
double directValue(const EllipseEbm &model, const FieldRequest &request, const Vec2 &y)
{
    switch (request.kind) {
    case FieldKind::FreeEnergy:
        return model.freeEnergy(y, request.beta);
    case FieldKind::ZeroTemperature:
        return model.zeroTemperature(y).value;
    case FieldKind::Energy:
        return model.energy(y, model.latents().snap(request.z));
    case FieldKind::Posterior:
        return model.posteriorAt(y, request.beta, request.z);
    }
    return NAN;
}

} // namespace

class FieldTest : public QObject
{
    Q_OBJECT

private slots:
    void evaluateField_data();
    void evaluateField();
    void fieldGradients_data() { evaluateField_data(); }
    void fieldGradients();
    void latentIsSnapped();
    void cancelledBeforeStart();
    void fieldProblem_data();
    void fieldProblem();
    void fieldKindNames();
    void gridEndpointsAreExact_data();
    void gridEndpointsAreExact();
    void gridProblem_data();
    void gridProblem();
};

void FieldTest::evaluateField_data()
{
    QTest::addColumn<int>("count"); // 0: continuous
    QTest::addColumn<FieldKind>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("z");
    for (int n : {48, 5, 0}) {
        const QByteArray latents = n ? "N=" + QByteArray::number(n) : "continuous";
        QTest::addRow("%s F beta=2", latents.data()) << n << FieldKind::FreeEnergy << 2.0 << 0.0;
        QTest::addRow("%s F beta=inf", latents.data()) << n << FieldKind::FreeEnergy << ebm::kInfiniteBeta << 0.0;
        QTest::addRow("%s Finf", latents.data()) << n << FieldKind::ZeroTemperature << 1.0 << 0.0;
        QTest::addRow("%s E", latents.data()) << n << FieldKind::Energy << 1.0 << 2.2;
        QTest::addRow("%s posterior", latents.data()) << n << FieldKind::Posterior << 3.0 << 1.0;
    }
    QTest::newRow("N=5 posterior beta=inf") << 5 << FieldKind::Posterior << ebm::kInfiniteBeta << 1.0;
}

void FieldTest::evaluateField()
{
    QFETCH(int, count);
    QFETCH(FieldKind, kind);
    QFETCH(double, beta);
    QFETCH(double, z);
    const EllipseEbm model({2.0, 1.5}, ebmtest::latentsFor(count));
    const FieldRequest request{kind, beta, z};
    QVERIFY(ebm::fieldProblem(model, request).empty());
    const Grid grid = smallGrid();
    const std::optional<Eigen::MatrixXd> values = ebm::evaluateField(model, request, grid);
    QVERIFY(values.has_value());
    QCOMPARE(values->rows(), grid.ny);
    QCOMPARE(values->cols(), grid.nx);
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const Vec2 y(grid.y1At(i), grid.y2At(j));
            EBM_COMPARE_EXACT((*values)(j, i), ebm::fieldValue(model, request, y));
            EBM_COMPARE_EXACT((*values)(j, i), directValue(model, request, y));
            QVERIFY(std::isfinite((*values)(j, i)));
        }
    }
}

void FieldTest::fieldGradients()
{
    QFETCH(int, count);
    QFETCH(FieldKind, kind);
    QFETCH(double, beta);
    QFETCH(double, z);
    const EllipseEbm model({2.0, 1.5}, ebmtest::latentsFor(count));
    const Grid grid = smallGrid();
    const auto samples = ebm::fieldGradients(model, {kind, beta, z}, grid);
    QVERIFY(samples.has_value());
    if (kind == FieldKind::Posterior) {
        QVERIFY(samples->empty()); // no arrows for the posterior
        return;
    }
    QCOMPARE(samples->size(), static_cast<size_t>(grid.nx * grid.ny));
    std::set<std::pair<double, double>> seen;
    for (const ebm::GradientSample &s : *samples) {
        seen.insert({s.at.x(), s.at.y()});
        Vec2 expected;
        if (kind == FieldKind::FreeEnergy)
            expected = model.infer(s.at, beta).gradY;
        else if (kind == FieldKind::ZeroTemperature)
            expected = 2.0 * (s.at - ebm::decode(model.params(), model.zeroTemperature(s.at).z));
        else
            expected = 2.0 * (s.at - ebm::decode(model.params(), model.latents().snap(z)));
        // Same formula, possibly a different evaluation order: a few ulps of |y| + |w|.
        EBM_COMPARE_REL(s.gradient.x(), expected.x(), 1e-14, 10.0);
        EBM_COMPARE_REL(s.gradient.y(), expected.y(), 1e-14, 10.0);
    }
    // One sample at every grid point.
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i)
            QVERIFY(seen.count({grid.y1At(i), grid.y2At(j)}) == 1);
    }
}

void FieldTest::latentIsSnapped()
{
    const EllipseEbm model({2.0, 1.5}, LatentSpec::sampled(8));
    const Vec2 y(0.4, -1.1);
    // 0.9 is nearest to z_1 = pi/4 (0.785), and 0.9 - 2 pi wraps there too.
    const double latent = M_PI / 4;
    for (double z : {0.9, 0.9 - 2.0 * M_PI, 0.7}) {
        EBM_COMPARE_REL(ebm::fieldValue(model, {FieldKind::Energy, 1.0, z}, y), ebm::energy(y, latent, model.params()),
                        1e-15, 1.0);
        EBM_COMPARE_EXACT(ebm::fieldValue(model, {FieldKind::Posterior, 2.0, z}, y), model.posterior(y, 2.0)[1]);
    }
    // The continuous latent takes z as it is.
    const EllipseEbm continuous({2.0, 1.5}, LatentSpec::continuous());
    EBM_COMPARE_REL(ebm::fieldValue(continuous, {FieldKind::Energy, 1.0, 0.9}, y), ebm::energy(y, 0.9, model.params()),
                    1e-15, 1.0);
}

void FieldTest::cancelledBeforeStart()
{
    const EllipseEbm model;
    const std::atomic<bool> cancel{true};
    QVERIFY(!ebm::evaluateField(model, {}, smallGrid(), &cancel).has_value());
    QVERIFY(!ebm::fieldGradients(model, {}, smallGrid(), &cancel).has_value());
    const std::atomic<bool> goOn{false};
    QVERIFY(ebm::evaluateField(model, {}, smallGrid(), &goOn).has_value());
    QVERIFY(ebm::fieldGradients(model, {}, smallGrid(), &goOn).has_value());
}

void FieldTest::fieldProblem_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<FieldKind>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("z");
    QTest::addColumn<QString>("mentions"); // empty: no problem expected
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("F beta=0") << 48 << FieldKind::FreeEnergy << 0.0 << 0.0 << "beta";
    QTest::newRow("F beta<0") << 48 << FieldKind::FreeEnergy << -1.0 << 0.0 << "beta";
    QTest::newRow("F beta=nan") << 48 << FieldKind::FreeEnergy << nan << 0.0 << "beta";
    QTest::newRow("posterior beta=0") << 48 << FieldKind::Posterior << 0.0 << 0.0 << "beta";
    QTest::newRow("continuous posterior beta=inf")
        << 0 << FieldKind::Posterior << ebm::kInfiniteBeta << 0.0 << "continuous";
    QTest::newRow("posterior z=nan") << 48 << FieldKind::Posterior << 1.0 << nan << "z";
    QTest::newRow("E z=inf") << 48 << FieldKind::Energy << 1.0 << ebm::kInfiniteBeta << "z";
    QTest::newRow("F beta=inf is fine") << 0 << FieldKind::FreeEnergy << ebm::kInfiniteBeta << 0.0 << "";
    QTest::newRow("sampled posterior beta=inf is fine")
        << 48 << FieldKind::Posterior << ebm::kInfiniteBeta << 0.0 << "";
    QTest::newRow("Finf ignores beta") << 48 << FieldKind::ZeroTemperature << 0.0 << 0.0 << "";
    QTest::newRow("E ignores beta") << 0 << FieldKind::Energy << -3.0 << 1.0 << "";
}

void FieldTest::fieldProblem()
{
    QFETCH(int, count);
    QFETCH(FieldKind, kind);
    QFETCH(double, beta);
    QFETCH(double, z);
    QFETCH(QString, mentions);
    const EllipseEbm model({2.0, 1.5}, ebmtest::latentsFor(count));
    const QString problem = QString::fromStdString(ebm::fieldProblem(model, {kind, beta, z}));
    if (mentions.isEmpty()) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    } else {
        // The message must say what is wrong, so name the offending quantity.
        QVERIFY2(problem.contains(mentions, Qt::CaseInsensitive) ||
                     (mentions == "continuous" && problem.contains("delta", Qt::CaseInsensitive)),
                 qPrintable(QStringLiteral("'%1' does not mention %2").arg(problem, mentions)));
    }
}

void FieldTest::fieldKindNames()
{
    const std::pair<FieldKind, const char *> names[] = {{FieldKind::FreeEnergy, "F"},
                                                        {FieldKind::ZeroTemperature, "Finf"},
                                                        {FieldKind::Energy, "E"},
                                                        {FieldKind::Posterior, "posterior"}};
    for (const auto &[kind, name] : names) {
        QCOMPARE(ebm::fieldKindName(kind), std::string(name));
        QCOMPARE(ebm::fieldKindFromName(name), std::optional<FieldKind>(kind));
        QCOMPARE(ebm::fieldKindFromName(ebm::fieldKindName(kind)), std::optional<FieldKind>(kind));
    }
    for (const char *unknown : {"", "f", "energy", "F_inf", "posterior "})
        QVERIFY2(!ebm::fieldKindFromName(unknown).has_value(), unknown);
}

void FieldTest::gridEndpointsAreExact_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("n");
    QTest::newRow("default") << -3.0 << 3.0 << 121;
    QTest::newRow("awkward decimals") << 0.1 << 0.7 << 7;
    QTest::newRow("two points") << -1e-3 << 2.9 << 2;
    QTest::newRow("many points") << -2.2 << 1.3 << 1001;
    QTest::newRow("large") << -1e3 << 1e3 << 37;
}

void FieldTest::gridEndpointsAreExact()
{
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, n);
    Grid g;
    g.x0 = lo;
    g.x1 = hi;
    g.y0 = lo - 1.0;
    g.y1 = hi + 0.3;
    g.nx = n;
    g.ny = n + 1;
    QVERIFY(g.problem().empty());
    EBM_COMPARE_EXACT(g.y1At(0), lo);
    EBM_COMPARE_EXACT(g.y1At(n - 1), hi);
    EBM_COMPARE_EXACT(g.y2At(0), lo - 1.0);
    EBM_COMPARE_EXACT(g.y2At(n), hi + 0.3);
    for (int i = 1; i < n; ++i) {
        QVERIFY(g.y1At(i) > g.y1At(i - 1));
        // One rounding of lo + (hi - lo) i / (n - 1): an ulp or two of the range.
        EBM_COMPARE_REL(g.y1At(i), lo + (hi - lo) * (static_cast<long double>(i) / (n - 1)), 1e-15, hi - lo);
    }
}

void FieldTest::gridProblem_data()
{
    QTest::addColumn<Grid>("grid");
    QTest::addColumn<bool>("usable");
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("default") << Grid{} << true;
    QTest::newRow("minimal 2x2") << Grid{0, 1, 0, 1, 2, 2} << true;
    QTest::newRow("empty x range") << Grid{1, 1, 0, 1, 10, 10} << false;
    QTest::newRow("reversed x range") << Grid{1, 0, 0, 1, 10, 10} << false;
    QTest::newRow("empty y range") << Grid{0, 1, 2, 2, 10, 10} << false;
    QTest::newRow("nx=1") << Grid{0, 1, 0, 1, 1, 10} << false;
    QTest::newRow("ny=0") << Grid{0, 1, 0, 1, 10, 0} << false;
    QTest::newRow("negative n") << Grid{0, 1, 0, 1, -5, 10} << false;
    QTest::newRow("nan") << Grid{nan, 1, 0, 1, 10, 10} << false;
    QTest::newRow("infinite") << Grid{0, inf, 0, 1, 10, 10} << false;
    QTest::newRow("-infinite") << Grid{0, 1, -inf, 1, 10, 10} << false;
}

void FieldTest::gridProblem()
{
    QFETCH(Grid, grid);
    QFETCH(bool, usable);
    QCOMPARE(grid.problem().empty(), usable);
}

QTEST_APPLESS_MAIN(FieldTest)
#include "tst_field.moc"
