#include "io/session.h"

#include "io/csvio.h"
#include "io/jsonreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>

namespace ebm {

namespace {

// The limits of the window's controls (ui/parameterpanel.cpp, ui/trainingpanel.cpp): a session holds nothing a
// person could not have set, so that every restored value shows in its control as it is.
constexpr double kMinBeta = 1e-3, kMaxBeta = 1e3;
constexpr int kMinLatents = 4, kMaxLatents = 1024;
constexpr double kMaxZStar = 6.2832;
constexpr double kMaxMargin = 100.0;
constexpr int kMinResolution = 50, kMaxResolution = 1000;
constexpr int kMaxDataCount = 2000;
constexpr double kMaxDataX = 10.0; // rho(x) grows as exp(2x): beyond this the ellipse leaves any view
constexpr double kMaxNoise = 2.0;
constexpr double kMinLearningRate = 1e-4, kMaxLearningRate = 10.0;
constexpr int kMaxNegatives = 64;
constexpr int kMaxCandidates = 1000;

using json::Invalid;
using json::Reader;
using json::show;
using json::typeName;
using session::kMaxMagnitude;

// --- writing -------------------------------------------------------------------------------------------------

QJsonValue seedValue(std::uint64_t seed)
{
    if (seed <= (std::uint64_t(1) << 53)) // compared as integers: 2^53 + 1 would round to 2^53 as a double
        return QJsonValue(static_cast<double>(seed));
    return QJsonValue(QString::number(seed));
}

QJsonObject pair(const char *a, double x, const char *b, double y)
{
    return QJsonObject{{QLatin1String(a), x}, {QLatin1String(b), y}};
}

QJsonObject viewObject(const ViewBox &v)
{
    return QJsonObject{{QStringLiteral("x0"), v.x0},
                       {QStringLiteral("x1"), v.x1},
                       {QStringLiteral("y0"), v.y0},
                       {QStringLiteral("y1"), v.y1}};
}

QJsonObject modelObject(const LabState &s)
{
    QJsonArray c1, c2, a0, a1, a2;
    for (const Vec2 &c : s.kmeans.centroids) {
        c1.append(c.x());
        c2.append(c.y());
    }
    for (const Vec3 &a : s.sparse.dictionary) {
        a0.append(a.x());
        a1.append(a.y());
        a2.append(a.z());
    }
    return QJsonObject{
        {QStringLiteral("kind"), QString::fromStdString(modelKindName(s.modelKind))},
        {QStringLiteral("kmeans"), QJsonObject{{QStringLiteral("k"), s.kmeans.k},
                                               {QStringLiteral("seed"), seedValue(s.kmeans.seed)},
                                               {QStringLiteral("centroids"),
                                                QJsonObject{{QStringLiteral("y1"), c1}, {QStringLiteral("y2"), c2}}}}},
        {QStringLiteral("sparse"),
         QJsonObject{
             {QStringLiteral("atoms"), s.sparse.atoms},
             {QStringLiteral("alpha"), s.sparse.alpha},
             {QStringLiteral("seed"), seedValue(s.sparse.seed)},
             {QStringLiteral("dictionary"),
              QJsonObject{{QStringLiteral("constant"), a0}, {QStringLiteral("y1"), a1}, {QStringLiteral("y2"), a2}}}}},
    };
}

QJsonObject stateObject(const LabState &s)
{
    const PlaneLayers &l = s.layers;
    return QJsonObject{
        {QStringLiteral("w"), pair("w1", s.w.w1, "w2", s.w.w2)},
        {QStringLiteral("latentCount"), s.latentCount},
        {QStringLiteral("continuousLatent"), s.continuousLatent},
        {QStringLiteral("beta"), s.beta},
        {QStringLiteral("zeroTemperature"), s.zeroTemperature},
        {QStringLiteral("field"), QString::fromStdString(fieldKindName(s.field))},
        {QStringLiteral("zStar"), s.zStar},
        {QStringLiteral("margin"), s.margin},
        {QStringLiteral("resolution"), s.resolution},
        {QStringLiteral("colorMap"), QString::fromStdString(colorMapKey(s.colorMap))},
        {QStringLiteral("dataset"), QJsonObject{{QStringLiteral("count"), s.dataset.count},
                                                {QStringLiteral("x"), s.dataset.x},
                                                {QStringLiteral("noise"), s.dataset.noise},
                                                {QStringLiteral("seed"), seedValue(s.dataset.seed)}}},
        {QStringLiteral("observation"), pair("y1", s.observation.x(), "y2", s.observation.y())},
        {QStringLiteral("sectionY1"), s.sectionY1},
        {QStringLiteral("latentsByPosterior"), s.latentsByPosterior},
        {QStringLiteral("layers"), QJsonObject{{QStringLiteral("heatmap"), l.heatmap},
                                               {QStringLiteral("manifold"), l.manifold},
                                               {QStringLiteral("latents"), l.latents},
                                               {QStringLiteral("data"), l.data},
                                               {QStringLiteral("observation"), l.observation},
                                               {QStringLiteral("arrows"), l.arrows},
                                               {QStringLiteral("contours"), l.contours},
                                               {QStringLiteral("section"), l.section},
                                               {QStringLiteral("marginLevel"), l.marginLevel}}},
        {QStringLiteral("model"), modelObject(s)},
    };
}

QJsonObject trainingObject(const TrainingConfig &c)
{
    const NegativeSpec &n = c.negatives;
    return QJsonObject{
        {QStringLiteral("loss"), QString::fromStdString(lossKindName(c.loss.kind))},
        {QStringLiteral("beta"), std::isinf(c.loss.beta) ? QJsonValue(QStringLiteral("inf")) : QJsonValue(c.loss.beta)},
        {QStringLiteral("margin"), c.loss.margin},
        {QStringLiteral("view"), viewObject(c.loss.view)},
        {QStringLiteral("candidatesX"), c.loss.candidatesX},
        {QStringLiteral("candidatesY"), c.loss.candidatesY},
        {QStringLiteral("negatives"),
         QJsonObject{{QStringLiteral("strategy"), QString::fromStdString(negativeStrategyName(n.strategy))},
                     {QStringLiteral("count"), n.count},
                     {QStringLiteral("seed"), seedValue(n.seed)},
                     {QStringLiteral("noise"), n.noise},
                     {QStringLiteral("candidates"), n.candidates},
                     {QStringLiteral("minDistance"), n.minDistance}}},
        {QStringLiteral("latents"),
         c.latents.isContinuous() ? QJsonValue(QStringLiteral("continuous")) : QJsonValue(c.latents.count())},
        {QStringLiteral("learningRate"), c.learningRate},
        {QStringLiteral("init"), pair("w1", c.init.w1, "w2", c.init.w2)},
    };
}

// --- reading -------------------------------------------------------------------------------------------------

ViewBox readView(const Reader &r)
{
    ViewBox v;
    v.x0 = r.number(QStringLiteral("x0"), -kMaxMagnitude, kMaxMagnitude);
    v.x1 = r.number(QStringLiteral("x1"), -kMaxMagnitude, kMaxMagnitude);
    v.y0 = r.number(QStringLiteral("y0"), -kMaxMagnitude, kMaxMagnitude);
    v.y1 = r.number(QStringLiteral("y1"), -kMaxMagnitude, kMaxMagnitude);
    if (!(v.x0 < v.x1) || !(v.y0 < v.y1))
        throw Invalid(QStringLiteral("%1 must have x0 < x1 and y0 < y1").arg(r.path()));
    return v;
}

EllipseParams readW(const Reader &r)
{
    return {r.number(QStringLiteral("w1"), -kMaxMagnitude, kMaxMagnitude),
            r.number(QStringLiteral("w2"), -kMaxMagnitude, kMaxMagnitude)};
}

//! The model section (issue #7); a session written before it has none and means the ellipse.
void readModel(const Reader &r, LabState &s)
{
    s.modelKind = r.named<ModelKind>(QStringLiteral("kind"), modelKindFromName, "\"ellipse\", \"kmeans\", \"sparse\"");
    const Reader k = r.object(QStringLiteral("kmeans"));
    s.kmeans.k = k.whole(QStringLiteral("k"), 1, family::kMaxClusters);
    s.kmeans.seed = k.seed(QStringLiteral("seed"));
    const Reader c = k.object(QStringLiteral("centroids"));
    const auto c1 = c.column(QStringLiteral("y1"), family::kMaxClusters, -kMaxMagnitude, kMaxMagnitude);
    const auto c2 = c.column(QStringLiteral("y2"), family::kMaxClusters, -kMaxMagnitude, kMaxMagnitude);
    if (c1.size() != c2.size() || (!c1.empty() && c1.size() != static_cast<size_t>(s.kmeans.k)))
        throw Invalid(QStringLiteral("%1.y1 and .y2 must both hold K = %2 centroids (or none), not %3 and %4")
                          .arg(c.path())
                          .arg(s.kmeans.k)
                          .arg(c1.size())
                          .arg(c2.size()));
    s.kmeans.centroids.clear();
    for (size_t j = 0; j < c1.size(); ++j)
        s.kmeans.centroids.emplace_back(c1[j], c2[j]);
    const Reader p = r.object(QStringLiteral("sparse"));
    s.sparse.atoms = p.whole(QStringLiteral("atoms"), 1, family::kMaxAtoms);
    s.sparse.alpha = p.number(QStringLiteral("alpha"), 0.0, family::kMaxAlpha);
    s.sparse.seed = p.seed(QStringLiteral("seed"));
    const Reader d = p.object(QStringLiteral("dictionary"));
    const auto a0 = d.column(QStringLiteral("constant"), family::kMaxAtoms, -kMaxMagnitude, kMaxMagnitude);
    const auto a1 = d.column(QStringLiteral("y1"), family::kMaxAtoms, -kMaxMagnitude, kMaxMagnitude);
    const auto a2 = d.column(QStringLiteral("y2"), family::kMaxAtoms, -kMaxMagnitude, kMaxMagnitude);
    if (a1.size() != a0.size() || a2.size() != a0.size() ||
        (!a0.empty() && a0.size() != static_cast<size_t>(s.sparse.atoms)))
        throw Invalid(QStringLiteral("%1.constant, .y1 and .y2 must all hold d = %2 atoms (or none)")
                          .arg(d.path())
                          .arg(s.sparse.atoms));
    s.sparse.dictionary.clear();
    for (size_t j = 0; j < a0.size(); ++j) {
        const Vec3 atom(a0[j], a1[j], a2[j]);
        if (std::abs(atom.norm() - 1.0) > 1e-6)
            throw Invalid(
                QStringLiteral("%1: atom %2 must have unit norm, not %3").arg(d.path()).arg(j).arg(show(atom.norm())));
        s.sparse.dictionary.push_back(atom);
    }
}

LabState readState(const Reader &r)
{
    LabState s;
    s.w = readW(r.object(QStringLiteral("w")));
    s.latentCount = r.whole(QStringLiteral("latentCount"), kMinLatents, kMaxLatents);
    s.continuousLatent = r.flag(QStringLiteral("continuousLatent"));
    s.beta = r.number(QStringLiteral("beta"), kMinBeta, kMaxBeta);
    s.zeroTemperature = r.flag(QStringLiteral("zeroTemperature"));
    s.field = r.named<FieldKind>(QStringLiteral("field"), fieldKindFromName, "\"F\", \"Finf\", \"E\", \"posterior\"");
    s.zStar = r.number(QStringLiteral("zStar"), 0.0, kMaxZStar);
    s.margin = r.number(QStringLiteral("margin"), 0.0, kMaxMargin);
    s.resolution = r.whole(QStringLiteral("resolution"), kMinResolution, kMaxResolution);
    s.colorMap =
        r.named<ColorMap>(QStringLiteral("colorMap"), colorMapFromKey, "\"viridis\", \"cividis\", \"cold-to-hot\"");
    const Reader d = r.object(QStringLiteral("dataset"));
    s.dataset.count = d.whole(QStringLiteral("count"), 1, kMaxDataCount);
    s.dataset.x = d.number(QStringLiteral("x"), -kMaxDataX, kMaxDataX);
    s.dataset.noise = d.number(QStringLiteral("noise"), 0.0, kMaxNoise);
    s.dataset.seed = d.seed(QStringLiteral("seed"));
    const Reader y = r.object(QStringLiteral("observation"));
    s.observation = Vec2(y.number(QStringLiteral("y1"), -kMaxMagnitude, kMaxMagnitude),
                         y.number(QStringLiteral("y2"), -kMaxMagnitude, kMaxMagnitude));
    s.sectionY1 = r.number(QStringLiteral("sectionY1"), -kMaxMagnitude, kMaxMagnitude);
    s.latentsByPosterior = r.flag(QStringLiteral("latentsByPosterior"));
    const Reader l = r.object(QStringLiteral("layers"));
    PlaneLayers &p = s.layers;
    for (auto [key, member] : {std::pair{"heatmap", &PlaneLayers::heatmap},
                               {"manifold", &PlaneLayers::manifold},
                               {"latents", &PlaneLayers::latents},
                               {"data", &PlaneLayers::data},
                               {"observation", &PlaneLayers::observation},
                               {"arrows", &PlaneLayers::arrows},
                               {"contours", &PlaneLayers::contours},
                               {"section", &PlaneLayers::section},
                               {"marginLevel", &PlaneLayers::marginLevel}})
        p.*member = l.flag(QLatin1String(key));
    if (r.has(QStringLiteral("model")))
        readModel(r.object(QStringLiteral("model")), s);
    return s;
}

TrainingConfig readTraining(const Reader &r)
{
    TrainingConfig c;
    c.loss.kind = r.named<LossKind>(QStringLiteral("loss"), lossKindFromName,
                                    "\"energy\", \"hinge\", \"log\", \"simple\", \"square-square\", \"nll\"");
    const QJsonValue beta = r.value(QStringLiteral("beta"));
    if (beta.isString() && beta.toString() == QLatin1String("inf"))
        c.loss.beta = kInfiniteBeta;
    else if (beta.isString())
        throw Invalid(
            QStringLiteral("%1 must be a number in [%2, %3] or \"inf\", not \"%4\"")
                .arg(r.pathOf(QStringLiteral("beta")), show(kMinBeta), show(kMaxBeta), beta.toString().left(40)));
    else
        c.loss.beta = Reader::checked(r.pathOf(QStringLiteral("beta")), beta, kMinBeta, kMaxBeta);
    c.loss.margin = r.number(QStringLiteral("margin"), 0.0, kMaxMargin);
    c.loss.view = readView(r.object(QStringLiteral("view")));
    c.loss.candidatesX = r.whole(QStringLiteral("candidatesX"), 1, kMaxCandidates);
    c.loss.candidatesY = r.whole(QStringLiteral("candidatesY"), 1, kMaxCandidates);
    const Reader n = r.object(QStringLiteral("negatives"));
    c.negatives.strategy = n.named<NegativeStrategy>(QStringLiteral("strategy"), negativeStrategyFromName,
                                                     "\"uniform\", \"noise\", \"offending\"");
    c.negatives.count = n.whole(QStringLiteral("count"), 1, kMaxNegatives);
    c.negatives.seed = n.seed(QStringLiteral("seed"));
    c.negatives.noise = n.number(QStringLiteral("noise"), 0.0, kMaxMagnitude);
    c.negatives.candidates = n.whole(QStringLiteral("candidates"), 1, kMaxCandidates);
    c.negatives.minDistance = n.number(QStringLiteral("minDistance"), 0.0, kMaxMagnitude);
    const QJsonValue latents = r.value(QStringLiteral("latents"));
    if (latents.isString() && latents.toString() == QLatin1String("continuous"))
        c.latents = LatentSpec::continuous();
    else if (latents.isDouble())
        c.latents = LatentSpec::sampled(r.whole(QStringLiteral("latents"), kMinLatents, kMaxLatents));
    else
        throw Invalid(QStringLiteral("%1 must be a whole number in [%2, %3] or \"continuous\", not %4")
                          .arg(r.pathOf(QStringLiteral("latents")))
                          .arg(kMinLatents)
                          .arg(kMaxLatents)
                          .arg(latents.isString() ? QLatin1Char('"') + latents.toString().left(40) + QLatin1Char('"')
                                                  : typeName(latents)));
    c.learningRate = r.number(QStringLiteral("learningRate"), kMinLearningRate, kMaxLearningRate);
    c.init = readW(r.object(QStringLiteral("init")));
    if (const std::string problem = trainingConfigProblem(c); !problem.empty())
        throw Invalid(QStringLiteral("training: %1").arg(QString::fromStdString(problem)));
    return c;
}

std::vector<Vec2> readData(const Reader &r)
{
    const std::vector<double> y1 =
        r.column(QStringLiteral("y1"), session::kMaxDataPoints, -kMaxMagnitude, kMaxMagnitude);
    const std::vector<double> y2 =
        r.column(QStringLiteral("y2"), session::kMaxDataPoints, -kMaxMagnitude, kMaxMagnitude);
    if (y1.size() != y2.size())
        throw Invalid(
            QStringLiteral("data.y1 and data.y2 must have the same length (%1 and %2)").arg(y1.size()).arg(y2.size()));
    std::vector<Vec2> points;
    points.reserve(y1.size());
    for (size_t i = 0; i < y1.size(); ++i)
        points.emplace_back(y1[i], y2[i]);
    return points;
}

std::vector<TracePoint> readTrace(const Reader &r)
{
    const double maxEpoch = static_cast<double>(session::kMaxTraceRows);
    const double huge = std::numeric_limits<double>::max();
    const auto epoch = r.column(QStringLiteral("epoch"), session::kMaxTraceRows, 0.0, maxEpoch);
    const auto w1 = r.column(QStringLiteral("w1"), session::kMaxTraceRows, -kMaxMagnitude, kMaxMagnitude);
    const auto w2 = r.column(QStringLiteral("w2"), session::kMaxTraceRows, -kMaxMagnitude, kMaxMagnitude);
    const auto loss = r.column(QStringLiteral("loss"), session::kMaxTraceRows, -huge, huge);
    if (w1.size() != epoch.size() || w2.size() != epoch.size() || loss.size() != epoch.size())
        throw Invalid(QStringLiteral("trace.epoch, trace.w1, trace.w2 and trace.loss must have the same length"));
    std::vector<TracePoint> trace(epoch.size());
    for (size_t k = 0; k < epoch.size(); ++k) {
        if (epoch[k] != static_cast<double>(k))
            throw Invalid(QStringLiteral("trace.epoch[%1] must be %1 (the epochs count 0, 1, 2, ... without gaps), "
                                         "not %2")
                              .arg(k)
                              .arg(show(epoch[k])));
        trace[k] = {static_cast<int>(k), {w1[k], w2[k]}, loss[k]};
    }
    return trace;
}

Session readSessionObject(const QJsonObject &root)
{
    const Reader r(root, QString());
    const QJsonValue format = r.value(QStringLiteral("format"));
    if (!format.isString() || format.toString() != QLatin1String(session::kFormat))
        throw Invalid(
            QStringLiteral("not an EBM Lab session: format must be \"%1\"").arg(QLatin1String(session::kFormat)));
    const QJsonValue version = r.value(QStringLiteral("version"));
    if (!version.isDouble() || version.toDouble() != std::floor(version.toDouble()) || version.toDouble() < 1.0)
        throw Invalid(QStringLiteral("version must be a whole number of at least 1"));
    if (version.toDouble() > session::kVersion)
        throw Invalid(QStringLiteral("version %1 is newer than this EBM Lab understands (%2)")
                          .arg(show(version.toDouble()))
                          .arg(session::kVersion));
    Session s;
    s.state = readState(r.object(QStringLiteral("state")));
    const Reader data = r.object(QStringLiteral("data"));
    s.customData = data.flag(QStringLiteral("custom"));
    s.data = readData(data);
    s.view = readView(r.object(QStringLiteral("view")));
    s.training = readTraining(r.object(QStringLiteral("training")));
    s.trace = readTrace(r.object(QStringLiteral("trace")));
    s.lesson = r.whole(QStringLiteral("lesson"), -1, session::kMaxLesson);
    return s;
}

} // namespace

QByteArray sessionToJson(const Session &s)
{
    QJsonArray y1, y2;
    for (const Vec2 &p : s.data) {
        y1.append(p.x());
        y2.append(p.y());
    }
    QJsonArray epoch, w1, w2, loss;
    for (const TracePoint &row : s.trace) {
        epoch.append(row.epoch);
        w1.append(row.w.w1);
        w2.append(row.w.w2);
        loss.append(row.loss);
    }
    const QJsonObject root{
        {QStringLiteral("format"), QLatin1String(session::kFormat)},
        {QStringLiteral("version"), session::kVersion},
        {QStringLiteral("state"), stateObject(s.state)},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("custom"), s.customData}, {QStringLiteral("y1"), y1}, {QStringLiteral("y2"), y2}}},
        {QStringLiteral("view"), viewObject(s.view)},
        {QStringLiteral("training"), trainingObject(s.training)},
        {QStringLiteral("trace"), QJsonObject{{QStringLiteral("epoch"), epoch},
                                              {QStringLiteral("w1"), w1},
                                              {QStringLiteral("w2"), w2},
                                              {QStringLiteral("loss"), loss}}},
        {QStringLiteral("lesson"), s.lesson},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<Session> sessionFromJson(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<Session> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (json.size() > session::kMaxFileBytes)
        return fail(QStringLiteral("the session is larger than the %1 MB a session may have")
                        .arg(session::kMaxFileBytes / (1024 * 1024)));
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parse);
    if (parse.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not valid JSON (truncated or damaged?): %1 at byte %2")
                        .arg(parse.errorString())
                        .arg(parse.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("not an EBM Lab session: the top level must be a JSON object"));
    try {
        return readSessionObject(doc.object());
    } catch (const Invalid &e) {
        return fail(QString::fromStdString(e.what()));
    }
}

QString writeSession(const QString &path, const Session &session)
{
    return writeFileAtomically(path, sessionToJson(session));
}

std::optional<Session> readSession(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot open %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > session::kMaxFileBytes) {
        if (error)
            *error = QStringLiteral("%1 is larger than the %2 MB a session may have")
                         .arg(path)
                         .arg(session::kMaxFileBytes / (1024 * 1024));
        return std::nullopt;
    }
    return sessionFromJson(file.read(session::kMaxFileBytes + 1), error);
}

} // namespace ebm
