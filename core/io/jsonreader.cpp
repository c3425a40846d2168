#include "io/jsonreader.h"

#include <QJsonArray>

#include <cmath>

namespace ebm::json {

namespace {
constexpr double kMaxSafeInteger = 9007199254740992.0; // 2^53: every whole number below is exact in a double
}

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

Reader::Reader(const QJsonObject &object, QString path)
    : m_object(object)
    , m_path(std::move(path))
{
}

QString Reader::pathOf(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

QJsonValue Reader::value(const QString &key) const
{
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd())
        throw Invalid(QStringLiteral("%1 is missing").arg(pathOf(key)));
    return it.value();
}

Reader Reader::object(const QString &key) const
{
    const QJsonValue v = value(key);
    if (!v.isObject())
        throw Invalid(QStringLiteral("%1 must be an object, not %2").arg(pathOf(key), typeName(v)));
    return Reader(v.toObject(), pathOf(key));
}

double Reader::checked(const QString &path, const QJsonValue &v, double lo, double hi)
{
    if (!v.isDouble())
        throw Invalid(QStringLiteral("%1 must be a number, not %2").arg(path, typeName(v)));
    const double d = v.toDouble();
    if (!std::isfinite(d))
        throw Invalid(QStringLiteral("%1 must be a finite number").arg(path));
    if (d < lo || d > hi)
        throw Invalid(QStringLiteral("%1 must be a number in [%2, %3], not %4").arg(path, show(lo), show(hi), show(d)));
    return d;
}

int Reader::whole(const QString &key, int lo, int hi) const
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

bool Reader::flag(const QString &key) const
{
    const QJsonValue v = value(key);
    if (!v.isBool())
        throw Invalid(QStringLiteral("%1 must be true or false, not %2").arg(pathOf(key), typeName(v)));
    return v.toBool();
}

QString Reader::text(const QString &key) const
{
    const QJsonValue v = value(key);
    if (!v.isString())
        throw Invalid(QStringLiteral("%1 must be a string, not %2").arg(pathOf(key), typeName(v)));
    return v.toString();
}

std::uint64_t Reader::seed(const QString &key) const
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

std::vector<double> Reader::column(const QString &key, qsizetype maxCount, double lo, double hi) const
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

} // namespace ebm::json
