// The EnergyModel interface over the ellipse, K-means and sparse coding: every model's field path against its own
// point-by-point reference (1e-9 relative, on 1 and 2 threads), the ellipse adapter against evaluateFieldFast bit
// for bit, the requests each model refuses, inference, parameters, training steps, gradients and cancellation.
#include "math/dataset.h"
#include "math/ellipsemodel.h"
#include "math/energymodel.h"
#include "math/fastfield.h"
#include "math/kmeansmodel.h"
#include "math/sparsecodingmodel.h"

#include "fuzzycompare.h"

#include <QTest>

#include <cmath>
#include <memory>

using namespace ebm;

namespace {

std::unique_ptr<EnergyModel> makeModel(const QString &name)
{
    if (name == "ellipse")
        return std::make_unique<EllipseModel>(EllipseEbm({2.0, 1.5}, LatentSpec::sampled(48)));
    if (name == "continuous")
        return std::make_unique<EllipseModel>(EllipseEbm({2.0, 1.5}, LatentSpec::continuous()));
    if (name == "kmeans")
        return std::make_unique<KMeansModel>(KMeans::fromData(familyData(0), kLectureClusters, 0));
    return std::make_unique<SparseCodingModel>(SparseCoding::random(kDefaultAtoms, kDefaultSparsity, 0));
}

//! \brief the largest |fast - reference| / max(|reference|, floor) over the grid
double worstRelative(const EnergyModel &model, const FieldRequest &request, const Grid &grid,
                     const Eigen::MatrixXd &values, double floor)
{
    double worst = 0.0;
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const double expected = model.fieldValue(request, Vec2(grid.y1At(i), grid.y2At(j)));
            worst = std::max(worst, std::abs(values(j, i) - expected) / std::max(std::abs(expected), floor));
        }
    }
    return worst;
}

} // namespace

class TestEnergyModel : public QObject
{
    Q_OBJECT

private slots:
    void namesRoundTrip();
    void familyDataAreTheFiftyEllipseSamples();
    void fieldsEqualTheirReference_data();
    void fieldsEqualTheirReference();
    void ellipseAdapterIsTheFastPath();
    void unsupportedRequestsAreRefused_data();
    void unsupportedRequestsAreRefused();
    void inferenceIsConsistent_data();
    void inferenceIsConsistent();
    void parametersRoundTripAndRejectBadShapes();
    void trainingStepsAreTheModelsOwn();
    void fieldGradientsMatchFiniteDifferences_data();
    void fieldGradientsMatchFiniteDifferences();
    void cancelledFieldGivesNothing();
};

void TestEnergyModel::namesRoundTrip()
{
    for (ModelKind kind : {ModelKind::Ellipse, ModelKind::KMeans, ModelKind::SparseCoding})
        QCOMPARE(modelKindFromName(modelKindName(kind)), kind);
    QVERIFY(!modelKindFromName("Kmeans"));
    QCOMPARE(modelKindName(ModelKind::SparseCoding), std::string("sparse"));
}

void TestEnergyModel::familyDataAreTheFiftyEllipseSamples()
{
    DatasetSpec spec;
    spec.count = 50;
    spec.seed = 9;
    QCOMPARE(familyData(9), ellipseSamples(spec));
    QCOMPARE(static_cast<int>(familyData(9).size()), kFamilyDataCount);
}

void TestEnergyModel::fieldsEqualTheirReference_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("z");
    const auto add = [](const char *model, FieldKind kind, double beta, double z) {
        QTest::addRow("%s %s beta=%g z=%g", model, fieldKindName(kind).c_str(), beta, z)
            << QString(model) << static_cast<int>(kind) << beta << z;
    };
    for (double beta : {1e-6, 0.01, 1.0, 30.0, 1e4, kInfiniteBeta})
        add("kmeans", FieldKind::FreeEnergy, beta, 0.0);
    add("kmeans", FieldKind::ZeroTemperature, 1.0, 0.0);
    add("kmeans", FieldKind::Energy, 1.0, 4.0);
    for (double beta : {0.1, 5.0, 1e3, kInfiniteBeta})
        add("kmeans", FieldKind::Posterior, beta, 14.0);
    add("sparse", FieldKind::ZeroTemperature, 1.0, 0.0);
    add("sparse", FieldKind::FreeEnergy, kInfiniteBeta, 0.0);
    add("ellipse", FieldKind::FreeEnergy, 1.0, 0.0);
    add("ellipse", FieldKind::ZeroTemperature, 1.0, 0.0);
    add("continuous", FieldKind::FreeEnergy, 2.0, 0.0);
}

void TestEnergyModel::fieldsEqualTheirReference()
{
    QFETCH(QString, model);
    QFETCH(int, kind);
    QFETCH(double, beta);
    QFETCH(double, z);
    const std::unique_ptr<EnergyModel> m = makeModel(model);
    const FieldRequest request{static_cast<FieldKind>(kind), beta, z};
    const Grid grid{-3.5, 3.5, -3.0, 3.0, 41, 37};
    QCOMPARE(m->fieldProblem(request), std::string());
    for (int threads : {1, 2}) {
        const auto values = evaluateModelField(*m, request, grid, threads);
        QVERIFY(values);
        QCOMPARE(values->rows(), grid.ny);
        QCOMPARE(values->cols(), grid.nx);
        QVERIFY(values->allFinite());
        // Posterior values far below 1 are compared absolutely (Eigen's exp and std::exp differ by ulps).
        const double floor = static_cast<FieldKind>(kind) == FieldKind::Posterior ? 1e-6 : 1e-300;
        const double worst = worstRelative(*m, request, grid, *values, floor);
        QVERIFY2(worst <= 1e-9, qPrintable(QStringLiteral("worst relative difference %1").arg(worst)));
    }
    // F_inf is the same sums and minima: bit for bit.
    if (static_cast<FieldKind>(kind) == FieldKind::ZeroTemperature)
        QCOMPARE(worstRelative(*m, request, grid, *evaluateModelField(*m, request, grid, 2), 1e-300), 0.0);
}

void TestEnergyModel::ellipseAdapterIsTheFastPath()
{
    const EllipseEbm ebm({1.7, 1.2}, LatentSpec::sampled(48));
    const EllipseModel model(ebm);
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 64, 48};
    for (const FieldRequest &request :
         {FieldRequest{FieldKind::FreeEnergy, 1.0, 0.0}, FieldRequest{FieldKind::ZeroTemperature, 1.0, 0.0},
          FieldRequest{FieldKind::Posterior, 3.0, 1.0}}) {
        const auto direct = evaluateFieldFast(ebm, request, grid, 2);
        const auto adapted = evaluateModelField(model, request, grid, 2);
        QVERIFY(direct && adapted);
        QVERIFY(*direct == *adapted);
    }
}

void TestEnergyModel::unsupportedRequestsAreRefused_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("z");
    QTest::newRow("kmeans beta 0") << "kmeans" << static_cast<int>(FieldKind::FreeEnergy) << 0.0 << 0.0;
    QTest::newRow("kmeans z not whole") << "kmeans" << static_cast<int>(FieldKind::Energy) << 1.0 << 1.5;
    QTest::newRow("kmeans z = K") << "kmeans" << static_cast<int>(FieldKind::Posterior) << 1.0 << 15.0;
    QTest::newRow("kmeans z < 0") << "kmeans" << static_cast<int>(FieldKind::Energy) << 1.0 << -1.0;
    QTest::newRow("sparse F_beta") << "sparse" << static_cast<int>(FieldKind::FreeEnergy) << 1.0 << 0.0;
    QTest::newRow("sparse E") << "sparse" << static_cast<int>(FieldKind::Energy) << 1.0 << 0.0;
    QTest::newRow("sparse posterior") << "sparse" << static_cast<int>(FieldKind::Posterior) << 1.0 << 0.0;
    QTest::newRow("ellipse beta 0") << "ellipse" << static_cast<int>(FieldKind::FreeEnergy) << 0.0 << 0.0;
}

void TestEnergyModel::unsupportedRequestsAreRefused()
{
    QFETCH(QString, model);
    QFETCH(int, kind);
    QFETCH(double, beta);
    QFETCH(double, z);
    const std::unique_ptr<EnergyModel> m = makeModel(model);
    const FieldRequest request{static_cast<FieldKind>(kind), beta, z};
    QVERIFY(!m->fieldProblem(request).empty());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, evaluateModelField(*m, request, Grid{}));
    if (model == "sparse") {
        QVERIFY(!m->hasFreeEnergy());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m->freeEnergy({0.0, 0.0}, 1.0));
    }
}

void TestEnergyModel::inferenceIsConsistent_data()
{
    QTest::addColumn<QString>("model");
    for (const char *name : {"ellipse", "continuous", "kmeans", "sparse"})
        QTest::newRow(name) << QString(name);
}

void TestEnergyModel::inferenceIsConsistent()
{
    QFETCH(QString, model);
    const std::unique_ptr<EnergyModel> m = makeModel(model);
    for (const Vec2 &y : {Vec2(0.3, -0.2), Vec2(2.1, 0.4), Vec2(-1.0, 1.6)}) {
        const LatentCode c = m->infer(y);
        QCOMPARE(c.energy, m->zeroTemperature(y));
        QCOMPARE(m->freeEnergy(y, kInfiniteBeta), m->zeroTemperature(y));
        if (m->kind() == ModelKind::SparseCoding) {
            // E(y, z) = ||y_dot - W z||^2 + alpha ||z||_1 with the decoded point in R^3.
            const auto &s = static_cast<const SparseCodingModel &>(*m).coding();
            QCOMPARE(c.decoded.size(), 3);
            EBM_COMPARE_REL(c.energy, (lift(y) - c.decoded).squaredNorm() + s.alpha() * c.z.lpNorm<1>(), 1e-12, 1.0);
            QVERIFY((c.z.array() != 0.0).count() <= 2);
            QCOMPARE(c.decodedY, Vec2(c.decoded[1], c.decoded[2]));
        } else {
            // E(y, z_check) = ||y - Dec(z_check)||^2, and for K-means z is the one-hot e_k.
            EBM_COMPARE_REL(c.energy, (y - c.decodedY).squaredNorm(), 1e-12, 1.0);
            if (m->kind() == ModelKind::KMeans) {
                QCOMPARE(c.z.sum(), 1.0);
                QCOMPARE(c.z[c.index], 1.0);
                QCOMPARE(c.decodedY, Vec2(m->parameters().col(c.index)));
            }
        }
    }
    const std::vector<Vec2> data = familyData(2, 10);
    double sum = 0.0;
    for (const Vec2 &y : data)
        sum += m->zeroTemperature(y);
    EBM_COMPARE_REL(m->loss(data), sum / 10.0, 1e-15, 1.0);
}

void TestEnergyModel::parametersRoundTripAndRejectBadShapes()
{
    for (const char *name : {"ellipse", "kmeans", "sparse"}) {
        const std::unique_ptr<EnergyModel> m = makeModel(name);
        const std::unique_ptr<EnergyModel> copy = m->clone();
        Eigen::MatrixXd p = m->parameters();
        p(0, 0) += 0.25;
        copy->setParameters(p);
        if (m->kind() == ModelKind::SparseCoding) // the atom is renormalised
            QVERIFY(copy->parameters().col(0).isApprox(p.col(0).normalized(), 1e-15));
        else
            QVERIFY(copy->parameters() == p);
        QVERIFY(m->parameters() != copy->parameters()); // the clone is independent
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, copy->setParameters(Eigen::MatrixXd::Zero(4, 1)));
        Eigen::MatrixXd bad = m->parameters();
        bad(0, 0) = std::nan("");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, copy->setParameters(bad));
    }
}

void TestEnergyModel::trainingStepsAreTheModelsOwn()
{
    const std::vector<Vec2> data = familyData(5);
    // K-means: a Lloyd step.
    KMeans kmeans = KMeans::fromData(data, 15, 5);
    KMeansModel kmeansModel(kmeans);
    kmeans.lloydStep(data);
    kmeansModel.trainStep(data, {});
    QVERIFY(kmeansModel.parameters() == Eigen::MatrixXd(kmeans.centroids()));
    // Sparse coding: its gradient step with renormalisation.
    SparseCoding coding = SparseCoding::random(6, 0.1, 5);
    SparseCodingModel codingModel(coding);
    coding.trainStep(data, 0.2);
    codingModel.trainStep(data, {0.2, kInfiniteBeta});
    QVERIFY(codingModel.parameters() == Eigen::MatrixXd(coding.dictionary()));
    // Ellipse: w <- w - eta mean grad_w F_beta, from (1, 1) toward the data's (2, 1.5).
    EllipseModel ellipse(EllipseEbm({1.0, 1.0}));
    const double before = ellipse.loss(data);
    Vec2 gradient = Vec2::Zero();
    for (const Vec2 &y : data)
        gradient += ellipse.ebm().infer(y, 2.0).gradW / 50.0;
    ellipse.trainStep(data, {0.1, 2.0});
    EBM_COMPARE_REL(ellipse.parameters()(0, 0), 1.0 - 0.1 * gradient.x(), 1e-14, 1.0);
    EBM_COMPARE_REL(ellipse.parameters()(1, 0), 1.0 - 0.1 * gradient.y(), 1e-14, 1.0);
    QVERIFY(ellipse.loss(data) < before);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ellipse.trainStep({}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kmeansModel.trainStep({}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, codingModel.trainStep({}, {}));
}

void TestEnergyModel::fieldGradientsMatchFiniteDifferences_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("beta");
    QTest::newRow("kmeans F") << "kmeans" << static_cast<int>(FieldKind::FreeEnergy) << 3.0;
    QTest::newRow("kmeans E") << "kmeans" << static_cast<int>(FieldKind::Energy) << 1.0;
    QTest::newRow("ellipse F") << "ellipse" << static_cast<int>(FieldKind::FreeEnergy) << 1.0;
    QTest::newRow("sparse Finf") << "sparse" << static_cast<int>(FieldKind::ZeroTemperature) << 1.0;
}

void TestEnergyModel::fieldGradientsMatchFiniteDifferences()
{
    QFETCH(QString, model);
    QFETCH(int, kind);
    QFETCH(double, beta);
    const std::unique_ptr<EnergyModel> m = makeModel(model);
    const FieldRequest request{static_cast<FieldKind>(kind), beta, 3.0};
    const Grid grid{-2.3, 2.1, -1.9, 2.2, 7, 6};
    const auto samples = modelFieldGradients(*m, request, grid);
    QVERIFY(samples);
    QCOMPARE(static_cast<int>(samples->size()), grid.nx * grid.ny);
    const double h = 1e-6;
    int checked = 0;
    for (const GradientSample &s : *samples) {
        for (int d = 0; d < 2; ++d) {
            Vec2 up = s.at, down = s.at;
            up[d] += h;
            down[d] -= h;
            const double fd = (m->fieldValue(request, up) - m->fieldValue(request, down)) / (2 * h);
            // Sparse coding's F_inf is smooth only where the top-2 support stays put: skip the rare kinks.
            if (m->kind() == ModelKind::SparseCoding && m->infer(up).z.cwiseSign() != m->infer(down).z.cwiseSign())
                continue;
            EBM_COMPARE_REL(s.gradient[d], fd, 1e-6, 1.0);
            ++checked;
        }
    }
    QVERIFY(checked > grid.nx * grid.ny);
    QVERIFY(modelFieldGradients(*m, {FieldKind::Posterior, 1.0, 0.0}, grid)->empty());
}

void TestEnergyModel::cancelledFieldGivesNothing()
{
    const std::atomic<bool> cancel{true};
    for (const char *name : {"ellipse", "kmeans", "sparse"}) {
        const std::unique_ptr<EnergyModel> m = makeModel(name);
        QVERIFY(!evaluateModelField(*m, {FieldKind::ZeroTemperature, 1.0, 0.0}, Grid{}, 2, &cancel));
        QVERIFY(!modelFieldGradients(*m, {FieldKind::ZeroTemperature, 1.0, 0.0}, Grid{}, &cancel));
    }
}

QTEST_APPLESS_MAIN(TestEnergyModel)
#include "tst_energymodel.moc"
