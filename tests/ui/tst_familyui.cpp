// The model family in the window (issue #7): switching ellipse -> K-means -> sparse coding -> ellipse keeps the
// observation, and every panel shows the core's numbers for the current model; a centroid follows a real mouse
// drag and undo brings it back; the Lloyd step button is KMeans::lloydStep; the family's lessons render.
#include "familylatentpanel.h"
#include "io/session.h"
#include "latentpanel.h"
#include "mainwindow.h"
#include "math/modelsection.h"
#include "modelcontrols.h"
#include "observationplane.h"
#include "parameterpanel.h"
#include "sectionpanel.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <cmath>

using namespace ebm;

namespace {

//! Waits until the heatmap shows the field of the window's current model and parameters.
bool waitForCurrentField(MainWindow &window)
{
    QSignalSpy applied(&window, &MainWindow::fieldApplied);
    auto current = [&] {
        const LabState &s = window.state();
        const FieldJob &job = window.displayedJob();
        if (job.modelKind != s.modelKind || window.plane()->displayedGridSize() != QSize(job.grid.nx, job.grid.ny))
            return false;
        switch (s.modelKind) {
        case ModelKind::KMeans:
            return job.kmeans.centroids == s.kmeans.centroids && job.request.kind == s.field;
        case ModelKind::SparseCoding:
            return job.sparse.dictionary == s.sparse.dictionary && job.sparse.alpha == s.sparse.alpha;
        case ModelKind::Ellipse:
            break;
        }
        return job.w == s.w && job.latents == s.latents() && job.request.kind == s.field &&
               job.request.beta == s.effectiveBeta();
    };
    QElapsedTimer timer;
    timer.start();
    while (!current() && timer.elapsed() < 60000)
        applied.wait(200);
    return current();
}

//! Every heatmap cell (every 5th in each direction) against evaluateModelField of the state's model.
void compareHeatmapWithCore(const MainWindow &window)
{
    const FieldJob &job = window.displayedJob();
    const auto model = window.state().energyModel();
    const Eigen::MatrixXd reference = *evaluateModelField(*model, job.request, job.grid);
    QCOMPARE(window.plane()->displayedGridSize(), QSize(job.grid.nx, job.grid.ny));
    for (int j = 0; j < job.grid.ny; j += 5) {
        for (int i = 0; i < job.grid.nx; i += 5) {
            const double shown = window.plane()->displayedValue(i, j);
            QVERIFY2(
                std::abs(shown - reference(j, i)) <= 1e-9 * std::max(1.0, std::abs(reference(j, i))),
                qPrintable(QStringLiteral("cell (%1, %2): %3 vs %4").arg(i).arg(j).arg(shown).arg(reference(j, i))));
        }
    }
    // One cell against the model's own F at that point (not through any field path).
    const Vec2 y(job.grid.y1At(job.grid.nx / 3), job.grid.y2At(job.grid.ny / 2));
    QVERIFY(std::abs(window.plane()->displayedValue(job.grid.nx / 3, job.grid.ny / 2) -
                     model->fieldValue(job.request, y)) <= 1e-9);
}

//! The section panel's F_inf curve against the model's F_inf along the section line y1 = sectionY1.
void compareSectionWithCore(const MainWindow &window)
{
    const LabState &s = window.state();
    const auto model = s.energyModel();
    const QRectF view = window.plane()->viewRange();
    const int curve = 0; // reference betas start with the cold one, inf: F_inf
    const QVector<double> values = window.sectionPanel()->curveValues(curve);
    QVERIFY(values.size() > 100);
    for (int i = 0; i < values.size(); i += 20) {
        const double y2 = view.top() + (view.bottom() - view.top()) * i / (values.size() - 1);
        const double expected = model->zeroTemperature(Vec2(s.sectionY1, y2));
        QVERIFY2(std::abs(values[i] - expected) <= 1e-9 * std::max(1.0, std::abs(expected)),
                 qPrintable(QStringLiteral("section sample %1: %2 vs %3").arg(i).arg(values[i]).arg(expected)));
    }
}

void saveScreenshot(MainWindow &window, const QString &name)
{
    const QString dir = qEnvironmentVariable("EBM_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(200); // the queued replots
    QVERIFY(window.grab().save(QStringLiteral("%1/%2.png").arg(dir, name)));
}

//! A grab with more than a handful of colours: something was drawn.
bool notBlank(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    return colours.size() > 50;
}

} // namespace

class TestFamilyUi : public QObject
{
    Q_OBJECT

private slots:
    void switchingModelsKeepsTheObservationAndThePanels();
    void draggingACentroidMovesItAndUndoRestores();
    void lloydStepButtonIsTheCoreStep();
    void trainingStepKeepsAtomsUnitNorm();
    void sessionBringsTheModelBack();
    void familyLessonsRender_data();
    void familyLessonsRender();
};

void TestFamilyUi::switchingModelsKeepsTheObservationAndThePanels()
{
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.dataset.count = kFamilyDataCount;
    s.observation = Vec2(0.7, 1.1);
    s.beta = 2.0;
    window.setState(s);
    const Vec2 y = s.observation;
    QComboBox *box = window.modelControls()->modelBox();
    const ModelKind order[] = {ModelKind::Ellipse, ModelKind::KMeans, ModelKind::SparseCoding, ModelKind::Ellipse};
    for (ModelKind kind : order) {
        box->setCurrentIndex(box->findData(int(kind))); // as a person picks it
        const LabState &now = window.state();
        QCOMPARE(now.modelKind, kind);
        QCOMPARE(now.observation, y);
        QCOMPARE(window.plane()->observation(), y);
        QVERIFY(waitForCurrentField(window));
        compareHeatmapWithCore(window);
        compareSectionWithCore(window);
        const FamilyPicture &picture = window.plane()->familyPicture();
        QCOMPARE(picture.kind, kind);
        // The ellipse's w is not this model's; sparse coding has no beta and only the F_inf field.
        QCOMPARE(window.parameterPanel()->w1Box()->isEnabled(), kind == ModelKind::Ellipse);
        QCOMPARE(window.parameterPanel()->fieldBox()->isEnabled(), kind != ModelKind::SparseCoding);
        if (kind == ModelKind::KMeans) {
            QCOMPARE(int(now.kmeans.centroids.size()), kLectureClusters);
            const KMeans model = kmeansOf(now.kmeans);
            const std::vector<double> energies = model.energies(y);
            QCOMPARE(window.familyLatentPanel()->stems(), QVector<double>(energies.begin(), energies.end()));
            const std::vector<double> p = model.posterior(y, now.effectiveBeta());
            QCOMPARE(window.familyLatentPanel()->bars(), QVector<double>(p.begin(), p.end()));
            QCOMPARE(window.familyLatentPanel()->markedIndex(), model.assign(y).k);
            QCOMPARE(window.familyLatentPanel()->zeroTemperatureLine(), model.assign(y).value);
            QVERIFY(picture.decoded == Vec2(model.centroids().col(model.assign(y).k)));
            QCOMPARE(picture.assignments, model.assignments(window.data()));
            QVERIFY(window.familyLatentPanel()->isVisible());
            QVERIFY(!window.latentPanel()->isVisible());
            saveScreenshot(window, QStringLiteral("family_kmeans"));
        } else if (kind == ModelKind::SparseCoding) {
            const SparseCoding model = sparseCodingOf(now.sparse);
            const TopTwoCode code = model.infer(lift(y));
            const QVector<double> lasso(code.lasso.data(), code.lasso.data() + code.lasso.size());
            const QVector<double> refit(code.z.data(), code.z.data() + code.z.size());
            QCOMPARE(window.familyLatentPanel()->stems(), lasso);
            QCOMPARE(window.familyLatentPanel()->bars(), refit);
            QCOMPARE(window.familyLatentPanel()->markedIndex(), code.first);
            // The FISTA path starts at W 0 = 0 and ends at Dec(z_check_2).
            QVERIFY(picture.path.size() > 2);
            QCOMPARE(picture.path.front(), Vec2(0.0, 0.0));
            QVERIFY((picture.path.back() - Vec2(model.decode(code.z).tail<2>())).norm() < 1e-12);
            QCOMPARE(int(picture.atoms.size()), kDefaultAtoms);
            saveScreenshot(window, QStringLiteral("family_sparse"));
        } else {
            const EllipseEbm model = now.model();
            QCOMPARE(window.latentPanel()->zeroTemperatureLine(), model.zeroTemperature(y).value);
            QVERIFY(window.latentPanel()->isVisible());
            saveScreenshot(window, QStringLiteral("family_ellipse"));
        }
    }
}

void TestFamilyUi::draggingACentroidMovesItAndUndoRestores()
{
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.modelKind = ModelKind::KMeans;
    s.kmeans.k = 4;
    s.observation = Vec2(-2.6, -2.6); // out of the way of the centroids
    s.layers.section = false;
    window.editState(s);
    QTest::qWait(200);
    const std::vector<Vec2> before = window.state().kmeans.centroids;
    QCOMPARE(int(before.size()), 4);
    // The centroid with the most room around it, so the press cannot land on another one.
    size_t chosen = 0;
    double room = -1.0;
    for (size_t a = 0; a < before.size(); ++a) {
        double nearest = 1e9;
        for (size_t b = 0; b < before.size(); ++b)
            if (a != b)
                nearest = std::min(nearest, (before[a] - before[b]).norm());
        if (nearest > room) {
            room = nearest;
            chosen = a;
        }
    }
    ObservationPlane *plane = window.plane();
    plane->plot()->replot(); // pixel mapping of the final layout
    QWidget *surface = plane->plot();
    const QPoint from = plane->toPixels(before[chosen]);
    const QPoint to = plane->toPixels(Vec2(1.0, -1.5));
    QTest::mousePress(surface, Qt::LeftButton, Qt::NoModifier, from);
    for (int step = 1; step <= 5; ++step)
        QTest::mouseMove(surface, from + (to - from) * step / 5);
    QTest::mouseRelease(surface, Qt::LeftButton, Qt::NoModifier, to);
    const Vec2 target = plane->toPlane(to);
    const Vec2 moved = window.state().kmeans.centroids[chosen];
    QVERIFY2((moved - target).norm() < 1e-9, qPrintable(QStringLiteral("(%1, %2)").arg(moved.x()).arg(moved.y())));
    QCOMPARE(window.state().observation, s.observation); // the observation stayed
    for (size_t k = 0; k < before.size(); ++k)
        if (k != chosen)
            QCOMPARE(window.state().kmeans.centroids[k], before[k]);
    QCOMPARE(plane->familyPicture().centroids[chosen], moved);
    QVERIFY(waitForCurrentField(window));
    compareHeatmapWithCore(window);
    // The whole drag is one undo step.
    window.undoStack()->undo();
    QVERIFY(window.state().kmeans.centroids == before);
    QCOMPARE(plane->familyPicture().centroids[chosen], before[chosen]);
    window.undoStack()->redo();
    QCOMPARE(window.state().kmeans.centroids[chosen], moved);
}

void TestFamilyUi::lloydStepButtonIsTheCoreStep()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.dataset.count = kFamilyDataCount;
    s.modelKind = ModelKind::KMeans;
    window.editState(s);
    for (int step = 0; step < 3; ++step) {
        KMeans expected = kmeansOf(window.state().kmeans);
        const double lossBefore = expected.loss(window.data());
        expected.lloydStep(window.data());
        QTest::mouseClick(window.modelControls()->stepButton(), Qt::LeftButton);
        const KMeans shown = kmeansOf(window.state().kmeans);
        QVERIFY(shown.centroids() == expected.centroids());
        QVERIFY(shown.loss(window.data()) <= lossBefore);
    }
    // Each step is an undo step.
    const std::vector<Vec2> afterThree = window.state().kmeans.centroids;
    window.undoStack()->undo();
    QVERIFY(!(window.state().kmeans.centroids == afterThree));
    // Play animates one step per tick.
    window.modelControls()->playButton()->click();
    QVERIFY(window.modelControls()->isPlaying());
    const std::vector<Vec2> start = window.state().kmeans.centroids;
    QTRY_VERIFY_WITH_TIMEOUT(!(window.state().kmeans.centroids == start) || !window.modelControls()->isPlaying(), 5000);
    window.modelControls()->playButton()->click();
    QVERIFY(!window.modelControls()->isPlaying());
}

void TestFamilyUi::trainingStepKeepsAtomsUnitNorm()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.modelKind = ModelKind::SparseCoding;
    window.editState(s);
    SparseCoding expected = sparseCodingOf(window.state().sparse);
    expected.trainStep(window.data(), window.modelControls()->learningRate());
    QTest::mouseClick(window.modelControls()->stepButton(), Qt::LeftButton);
    const SparseCoding shown = sparseCodingOf(window.state().sparse);
    QVERIFY((shown.dictionary() - expected.dictionary()).cwiseAbs().maxCoeff() < 1e-12);
    for (const Vec3 &atom : window.state().sparse.dictionary)
        QVERIFY(std::abs(atom.norm() - 1.0) < 1e-12);
}

//! A K-means session after a Lloyd step opens in a fresh window with the same centroids, field and panels.
void TestFamilyUi::sessionBringsTheModelBack()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    LabState s = window.state();
    s.modelKind = ModelKind::KMeans;
    s.kmeans.k = 7;
    window.editState(s);
    QTest::mouseClick(window.modelControls()->stepButton(), Qt::LeftButton);
    QString error;
    const auto session = sessionFromJson(sessionToJson(window.currentSession()), &error);
    QVERIFY2(session, qPrintable(error));
    MainWindow other;
    other.show();
    QVERIFY(QTest::qWaitForWindowExposed(&other));
    other.applySession(*session);
    QVERIFY(other.state() == window.state());
    QCOMPARE(other.modelControls()->modelBox()->currentData().toInt(), int(ModelKind::KMeans));
    QCOMPARE(other.modelControls()->clustersBox()->value(), 7);
    QVERIFY(waitForCurrentField(other));
    compareHeatmapWithCore(other);
    QCOMPARE(other.plane()->familyPicture().centroids, window.state().kmeans.centroids);
}

void TestFamilyUi::familyLessonsRender_data()
{
    QTest::addColumn<int>("offset"); // from the end of the list
    QTest::addColumn<int>("kind");
    QTest::newRow("K-means") << 2 << int(ModelKind::KMeans);
    QTest::newRow("sparse coding") << 1 << int(ModelKind::SparseCoding);
}

void TestFamilyUi::familyLessonsRender()
{
    QFETCH(int, offset);
    QFETCH(int, kind);
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int index = static_cast<int>(window.lessons().size()) - offset;
    window.applyLesson(index);
    QCOMPARE(int(window.state().modelKind), kind);
    QCOMPARE(int(window.data().size()), kFamilyDataCount);
    if (kind == int(ModelKind::KMeans)) {
        QCOMPARE(int(window.state().kmeans.centroids.size()), kLectureClusters); // the lecture's K = 15 of 50
    }
    QVERIFY(waitForCurrentField(window));
    compareHeatmapWithCore(window);
    QTest::qWait(200);
    QVERIFY(notBlank(window.plane()->grab().toImage()));
    QVERIFY(notBlank(window.familyLatentPanel()->grab().toImage()));
    QVERIFY(window.lessonText().contains(window.lessons()[static_cast<size_t>(index)].title));
    saveScreenshot(window, QStringLiteral("family_lesson_%1").arg(kind));
    // Back to an ellipse lesson: the ellipse again, the observation kept by the lesson's own rule.
    window.applyLesson(1);
    QCOMPARE(window.state().modelKind, ModelKind::Ellipse);
    saveScreenshot(window, QStringLiteral("family_lesson_back_%1").arg(kind));
}

QTEST_MAIN(TestFamilyUi)
#include "tst_familyui.moc"
