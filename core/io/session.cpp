#include "io/session.h"

#include "io/csvio.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>
#include <stdexcept>

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
constexpr double kMaxSafeInteger = 9007199254740992.0; // 2^53: every whole number below is exact in a double

using session::kMaxMagnitude;

//! The first problem found; its message is what the reader reports.
struct Invalid : std::runtime_error
{
    explicit Invalid(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
};

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

QString show(double v)
{
    return QString::number(v, 'g', 17);
}

//! A JSON object being read, with the key path that messages name ("state.dataset").
class Reader
{
public:
    Reader(const QJsonObject &object, QString path)
        : m_object(object)
        , m_path(std::move(path))
    {
    }

    const QString &path() const { return m_path; }
    QString pathOf(const QString &key) const { return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key; }

    QJsonValue value(const QString &key) const
    {
        const auto it = m_object.constFind(key);
        if (it == m_object.constEnd())
            throw Invalid(QStringLiteral("%1 is missing").arg(pathOf(key)));
        return it.value();
    }

    Reader object(const QString &key) const
    {
        const QJsonValue v = value(key);
        if (!v.isObject())
            throw Invalid(QStringLiteral("%1 must be an object, not %2").arg(pathOf(key), typeName(v)));
        return Reader(v.toObject(), pathOf(key));
    }

    double number(const QString &key, double lo, double hi) const { return checked(pathOf(key), value(key), lo, hi); }

    static double checked(const QString &path, const QJsonValue &v, double lo, double hi)
    {
        if (!v.isDouble())
            throw Invalid(QStringLiteral("%1 must be a number, not %2").arg(path, typeName(v)));
        const double d = v.toDouble();
        if (!std::isfinite(d))
            throw Invalid(QStringLiteral("%1 must be a finite number").arg(path));
        if (d < lo || d > hi)
            throw Invalid(
                QStringLiteral("%1 must be a number in [%2, %3], not %4").arg(path, show(lo), show(hi), show(d)));
        return d;
    }

    int whole(const QString &key, int lo, int hi) const
    {
        const QJsonValue v = value(key);
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() != std::floor(v.toDouble()))
            throw Invalid(QStringLiteral("%1 must be a whole number, not %2").arg(pathOf(key), typeName(v)));
        const double d = v.toDouble();
        if (d < lo || d > hi)
            throw Invalid(QStringLiteral("%1 must be a whole number in [%2, %3], not %4")
                              .arg(pathOf(key))
                              .arg(lo)
                              .arg(hi)
                              .arg(show(d)));
        return static_cast<int>(d);
    }

    bool flag(const QString &key) const
    {
        const QJsonValue v = value(key);
        if (!v.isBool())
            throw Invalid(QStringLiteral("%1 must be true or false, not %2").arg(pathOf(key), typeName(v)));
        return v.toBool();
    }

    QString text(const QString &key) const
    {
        const QJsonValue v = value(key);
        if (!v.isString())
            throw Invalid(QStringLiteral("%1 must be a string, not %2").arg(pathOf(key), typeName(v)));
        return v.toString();
    }

    //! A 64-bit seed: a whole number up to 2^53, or any unsigned 64-bit value as a decimal string.
    std::uint64_t seed(const QString &key) const
    {
        const QJsonValue v = value(key);
        if (v.isString()) {
            bool ok = false;
            const qulonglong s = v.toString().toULongLong(&ok, 10);
            if (!ok || v.toString().startsWith(QLatin1Char('+')) || v.toString().startsWith(QLatin1Char('-')))
                throw Invalid(QStringLiteral("%1 must be an unsigned 64-bit whole number, not \"%2\"")
                                  .arg(pathOf(key), v.toString().left(40)));
            return s;
        }
        const double d = v.toDouble();
        if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < 0.0 || d > kMaxSafeInteger)
            throw Invalid(QStringLiteral("%1 must be a whole number in [0, 2^53] (or a decimal string), not %2")
                              .arg(pathOf(key), v.isDouble() ? show(d) : typeName(v)));
        return static_cast<std::uint64_t>(d);
    }

    //! An array of numbers in [lo, hi] with at most \a maxCount entries.
    std::vector<double> column(const QString &key, qsizetype maxCount, double lo, double hi) const
    {
        const QJsonValue v = value(key);
        if (!v.isArray())
            throw Invalid(QStringLiteral("%1 must be an array of numbers, not %2").arg(pathOf(key), typeName(v)));
        const QJsonArray array = v.toArray();
        if (array.size() > maxCount)
            throw Invalid(QStringLiteral("%1 has %2 entries, more than the %3 a session may hold")
                              .arg(pathOf(key))
                              .arg(array.size())
                              .arg(maxCount));
        std::vector<double> values;
        values.reserve(static_cast<size_t>(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i)
            values.push_back(checked(QStringLiteral("%1[%2]").arg(pathOf(key)).arg(i), array.at(i), lo, hi));
        return values;
    }

    template<typename Enum, typename FromName>
    Enum named(const QString &key, FromName fromName, const char *choices) const
    {
        const QString name = text(key);
        const auto parsed = fromName(name.toStdString());
        if (!parsed)
            throw Invalid(QStringLiteral("%1 must be one of %2, not \"%3\"")
                              .arg(pathOf(key), QLatin1String(choices), name.left(40)));
        return *parsed;
    }

private:
    QJsonObject m_object;
    QString m_path;
};

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
