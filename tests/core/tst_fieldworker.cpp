// The model thread: results are the core's, the newest request wins, stale results never arrive.
#include "engine/fieldworker.h"
#include "math/fastfield.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace ebm;

// The worker's signals re-emitted on the test's thread (queued, as a GUI receives them), for QSignalSpy: a spy on
// the worker itself appends from the model thread while the test polls it from this one, a data race (TSan).
class Relay : public QObject
{
    Q_OBJECT
public:
    explicit Relay(FieldWorker *worker)
    {
        connect(worker, &FieldWorker::fieldReady, this, &Relay::fieldReady);
        connect(worker, &FieldWorker::fieldFailed, this, &Relay::fieldFailed);
    }

signals:
    void fieldReady(const ebm::FieldResult &result);
    void fieldFailed(quint64 generation, const QString &message);
};

class TestFieldWorker : public QObject
{
    Q_OBJECT

private slots:
    void computesTheCoreField();
    void computesTheFamilyModelsFields_data();
    void computesTheFamilyModelsFields();
    void newestWinsAndNothingStaleArrives();
    void invalidJobFailsWithMessage_data();
    void invalidJobFailsWithMessage();
    void destructionAbortsQuickly();
};

void TestFieldWorker::computesTheCoreField()
{
    FieldWorker worker;
    Relay relay(&worker);
    QSignalSpy ready(&relay, &Relay::fieldReady);
    FieldJob job;
    job.request = {FieldKind::FreeEnergy, 2.0, 0.0};
    job.grid = Grid{-2, 2, -1, 1, 9, 5};
    const quint64 generation = worker.submit(job);
    // Emitted from the worker thread, possibly before wait() would start counting: accept one already there.
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 10000);
    const auto result = ready.takeFirst().first().value<FieldResult>();
    QCOMPARE(result.generation, generation);
    // The worker runs the fast path on every core: bit-identical to it whatever the thread count, and within
    // the contract's 1e-9 of the double-precision reference.
    const EllipseEbm model(job.w, job.latents);
    QVERIFY(result.values == *evaluateFieldFast(model, job.request, job.grid, 1));
    const Eigen::MatrixXd reference = *evaluateField(model, job.request, job.grid);
    QVERIFY(((result.values - reference).array().abs() <= 1e-9 * reference.array().abs()).all());
}

void TestFieldWorker::computesTheFamilyModelsFields_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("field");
    QTest::addColumn<double>("beta");
    QTest::addColumn<bool>("arrows");
    QTest::newRow("K-means F_inf") << int(ModelKind::KMeans) << int(FieldKind::ZeroTemperature) << 1.0 << true;
    QTest::newRow("K-means F_beta") << int(ModelKind::KMeans) << int(FieldKind::FreeEnergy) << 3.0 << false;
    QTest::newRow("sparse F_inf") << int(ModelKind::SparseCoding) << int(FieldKind::ZeroTemperature) << 1.0 << true;
}

//! A K-means or sparse-coding job gives the core's evaluateModelField of that model, with the parameters it carries.
void TestFieldWorker::computesTheFamilyModelsFields()
{
    QFETCH(int, kind);
    QFETCH(int, field);
    QFETCH(double, beta);
    QFETCH(bool, arrows);
    const std::vector<Vec2> data = familyData(3);
    FieldJob job;
    job.modelKind = static_cast<ModelKind>(kind);
    job.kmeans.k = 6;
    job.sparse.atoms = 5;
    fillFamilyParameters(job.kmeans, job.sparse, data);
    job.request = {static_cast<FieldKind>(field), beta, 0.0};
    job.grid = Grid{-2, 2, -1.5, 1.5, 13, 9};
    if (arrows)
        job.arrowGrid = Grid{-1, 1, -1, 1, 3, 3};
    FieldWorker worker;
    Relay relay(&worker); // the spy records in this thread (a spy on the worker would append from the model thread)
    QSignalSpy ready(&relay, &Relay::fieldReady);
    worker.submit(job);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 20000);
    const auto result = ready.takeFirst().first().value<FieldResult>();
    const auto model = makeEnergyModel(job.modelKind, EllipseEbm(), job.kmeans, job.sparse);
    QCOMPARE(model->kind(), job.modelKind);
    const Eigen::MatrixXd reference = *evaluateModelField(*model, job.request, job.grid);
    QCOMPARE(result.values.rows(), 9);
    QVERIFY(((result.values - reference).array().abs() <= 1e-9 * (1.0 + reference.array().abs())).all());
    // Independently: one cell against the model's own F.
    const Vec2 y(job.grid.y1At(4), job.grid.y2At(7));
    QVERIFY(std::abs(result.values(7, 4) - model->fieldValue(job.request, y)) <= 1e-9);
    QCOMPARE(result.gradients.size(), size_t(arrows ? 9 : 0));
}

void TestFieldWorker::newestWinsAndNothingStaleArrives()
{
    FieldWorker worker;
    Relay relay(&worker);
    QSignalSpy ready(&relay, &Relay::fieldReady);
    FieldJob job;
    job.latents = LatentSpec::continuous(); // slow enough that submissions overtake the computation
    job.grid = Grid{-3, 3, -3, 3, 120, 120};
    quint64 last = 0;
    for (int k = 1; k <= 200; ++k) {
        job.request.beta = k;
        last = worker.submit(job);
    }
    QCOMPARE(last, quint64(200));
    // The newest request's result always arrives; before it, at most a few superseded ones that finished
    // first (the fast path is quick), never one older than a result already delivered.
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && ready.last().first().value<FieldResult>().generation == last, 60000);
    QTest::qWait(200);
    QVERIFY(ready.size() < 50);
    quint64 previous = 0;
    for (const QList<QVariant> &signal : ready) {
        const auto result = signal.first().value<FieldResult>();
        QVERIFY(result.generation > previous);
        previous = result.generation;
    }
    const auto result = ready.last().first().value<FieldResult>();
    QCOMPARE(result.generation, last);
    QCOMPARE(result.job.request.beta, 200.0);
}

void TestFieldWorker::invalidJobFailsWithMessage_data()
{
    QTest::addColumn<double>("beta");
    QTest::addColumn<int>("nx");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("beta zero") << 0.0 << 10 << "beta";
    QTest::newRow("grid of one") << 1.0 << 1 << "at least 2";
}

void TestFieldWorker::invalidJobFailsWithMessage()
{
    QFETCH(double, beta);
    QFETCH(int, nx);
    QFETCH(QString, messagePart);
    FieldWorker worker;
    Relay relay(&worker);
    QSignalSpy failed(&relay, &Relay::fieldFailed);
    FieldJob job;
    job.request.beta = beta;
    job.grid.nx = nx;
    worker.submit(job);
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
    QVERIFY(failed.first().at(1).toString().contains(messagePart));
}

void TestFieldWorker::destructionAbortsQuickly()
{
    auto *worker = new FieldWorker;
    FieldJob job;
    job.latents = LatentSpec::continuous();
    job.grid = Grid{-3, 3, -3, 3, 2000, 2000}; // minutes of work if it were not cancelled
    worker->submit(job);
    QTest::qWait(100);
    QElapsedTimer timer;
    timer.start();
    delete worker;
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestFieldWorker)
#include "tst_fieldworker.moc"
