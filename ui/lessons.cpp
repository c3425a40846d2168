#include "lessons.h"

#include <QCoreApplication>

namespace ebm {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Lessons", text);
}

// Every lesson starts from the lecture's trained model, so a lesson always shows the same figure.
void lectureModel(LabState &s)
{
    s.w = EllipseParams{};
    s.latentCount = 48;
    s.continuousLatent = false;
    s.layers = PlaneLayers{};
}

Vec2 pick(const std::vector<Vec2> &data, size_t index, const Vec2 &fallback)
{
    return index < data.size() ? data[index] : fallback;
}

Lesson weights(const char *title, const char *which, size_t dataIndex, bool origin)
{
    return {tr(title),
            tr("The weights exp(−βE(y, z)) along the manifold for %1: the sampled latents grow with "
               "P_β(z | y). Drag y and watch the weight move with it.")
                .arg(tr(which)),
            [dataIndex, origin](LabState &s, const std::vector<Vec2> &data) {
                lectureModel(s);
                s.field = FieldKind::FreeEnergy;
                s.beta = 1.0;
                s.zeroTemperature = false;
                s.latentsByPosterior = true;
                s.observation = origin ? Vec2(0.0, 0.0) : pick(data, dataIndex, Vec2(1.4, 1.1));
            }};
}

Lesson warming(const char *title, double beta)
{
    return {tr(title),
            tr("Warming up: F_β for β = %1. Cold, F_β hugs the manifold (F∞); hot, it becomes the "
               "average energy, a single bowl.")
                .arg(beta),
            [beta](LabState &s, const std::vector<Vec2> &) {
                lectureModel(s);
                s.field = FieldKind::FreeEnergy;
                s.beta = beta;
                s.zeroTemperature = false;
            }};
}

TrainingConfig trainingFromLectureStart(LossKind kind, double beta)
{
    TrainingConfig c;
    c.loss.kind = kind;
    c.loss.beta = beta;
    c.learningRate = 0.1;
    return c;
}

Lesson compareTemperatures()
{
    ComparePreset preset;
    // beta = 0.5 is warm enough that the posterior spreads over much of the ellipse: the pull of each point is a
    // weighted average, and the manifold settles visibly inside the data (MODEL.md §3).
    preset.configs = {trainingFromLectureStart(LossKind::Energy, kInfiniteBeta),
                      trainingFromLectureStart(LossKind::Energy, 0.5)};
    preset.epochs = 150;
    preset.explanation = tr("<b>Zero temperature vs marginalised</b> — the energy loss L = mean F(y) from w = (1, 1). "
                            "A: F∞, each point pulls its closest manifold point g(ž), and the ellipse reaches the "
                            "data. B: F_β at β = 0.5, each point pulls the posterior mean ȳ_β, and the ellipse "
                            "stays inside: marginalisation does not chase every point.");
    return {tr("6 · Compare: zero temperature vs marginalised"),
            tr("Training side by side (a window of its own): zero-temperature and marginalised energy loss from "
               "the same start. Press Play there."),
            [](LabState &s, const std::vector<Vec2> &) { lectureModel(s); }, preset};
}

Lesson compareHingeAndLog()
{
    ComparePreset preset;
    TrainingConfig hinge = trainingFromLectureStart(LossKind::Hinge, kInfiniteBeta);
    hinge.loss.margin = 1.0;
    hinge.negatives.strategy = NegativeStrategy::Offending;
    TrainingConfig log = trainingFromLectureStart(LossKind::Log, kInfiniteBeta);
    log.negatives.strategy = NegativeStrategy::Offending;
    preset.configs = {hinge, log};
    preset.epochs = 150;
    preset.explanation =
        tr("<b>Hinge with a margin vs log</b> — contrastive losses with the most offending negatives ŷ (blue "
           "crosses, the lowest F away from the data) pushed up while the data are pulled down. A: hinge "
           "[F(y) − F(ŷ) + m]⁺ stops pushing once F(ŷ) is m above F(y) (dashed: the level F = m). B: the log loss "
           "log(1 + exp(F(y) − F(ŷ))) never stops pushing, ever more gently.");
    return {tr("7 · Compare: hinge with margin vs log"),
            tr("Training side by side: hinge with margin m = 1 against the soft hinge (log), the negatives pushed "
               "up. Press Play in the compare window."),
            [](LabState &s, const std::vector<Vec2> &) { lectureModel(s); }, preset};
}

} // namespace

std::vector<Lesson> lectureLessons()
{
    std::vector<Lesson> lessons;
    lessons.push_back({tr("1 · Energy of one sample over z"),
                       tr("One observation y and its energy E(y, z) over every latent z (right). The lowest "
                          "energy picks ž, the closest point of the manifold: F∞(y) = E(y, ž)."),
                       [](LabState &s, const std::vector<Vec2> &data) {
                           lectureModel(s);
                           s.field = FieldKind::ZeroTemperature;
                           s.zeroTemperature = true;
                           s.latentsByPosterior = false;
                           s.observation = pick(data, 0, Vec2(1.4, 1.1));
                       }});
    lessons.push_back({tr("2 · Zero-temperature free energy F∞ with −∇F"),
                       tr("F∞(y) = min_z E(y, z): zero on the manifold, a peak at the centre. The arrows "
                          "−∇F∞ = −2(y − g(ž)) point to the closest manifold point."),
                       [](LabState &s, const std::vector<Vec2> &) {
                           lectureModel(s);
                           s.field = FieldKind::ZeroTemperature;
                           s.zeroTemperature = true;
                           s.latentsByPosterior = false;
                           s.layers.arrows = true;
                           s.layers.contours = true;
                       }});
    lessons.push_back(weights("3a · Weights exp(−βE) for a data point", "a data point", 0, false));
    lessons.push_back(weights("3b · Weights exp(−βE) for another point", "another data point", 12, false));
    lessons.push_back(weights("3c · Weights exp(−βE) for the origin",
                              "the origin: two equal wells, at the ends of the minor axis", 0, true));
    lessons.push_back(warming("4a · Warming up: β = 10", 10.0));
    lessons.push_back(warming("4b · Warming up: β = 1", 1.0));
    lessons.push_back(warming("4c · Warming up: β = 0.3", 0.3));
    lessons.push_back(warming("4d · Warming up: β = 0.03", 0.03));
    lessons.push_back({tr("5 · Cross-section at y₁ = 0"),
                       tr("F along the line y₁ = 0 (bottom right) for cold, warm and hot β: two wells at "
                          "y₂ = ±1.5 that merge into one as the temperature rises. Drag the line."),
                       [](LabState &s, const std::vector<Vec2> &) {
                           lectureModel(s);
                           s.field = FieldKind::FreeEnergy;
                           s.beta = 1.0;
                           s.zeroTemperature = false;
                           s.sectionY1 = 0.0;
                           s.layers.section = true;
                       }});
    lessons.push_back(compareTemperatures());
    lessons.push_back(compareHingeAndLog());
    return lessons;
}

} // namespace ebm
