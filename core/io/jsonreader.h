// A JSON object read with validation: every accessor checks the value's type and range and throws json::Invalid
// naming the key path ("state.dataset.count must be a whole number in [1, 2000], not 0"). Qt6::Core only.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace ebm::json {

//! The first problem found; its message is what the reader reports.
struct Invalid : std::runtime_error
{
    explicit Invalid(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
};

//! "a number", "an array", ...: what a message says a value was
QString typeName(const QJsonValue &v);

//! \a v with 17 significant digits, as messages quote numbers
QString show(double v);

//! A JSON object being read, with the key path that messages name ("state.dataset").
class Reader
{
public:
    Reader(const QJsonObject &object, QString path);

    const QString &path() const { return m_path; }
    QString pathOf(const QString &key) const;
    bool has(const QString &key) const { return m_object.contains(key); }

    QJsonValue value(const QString &key) const; //!< throws when the key is missing
    Reader object(const QString &key) const;
    double number(const QString &key, double lo, double hi) const { return checked(pathOf(key), value(key), lo, hi); }
    static double checked(const QString &path, const QJsonValue &v, double lo, double hi);
    int whole(const QString &key, int lo, int hi) const;
    bool flag(const QString &key) const;
    QString text(const QString &key) const;
    //! A 64-bit seed: a whole number up to 2^53, or any unsigned 64-bit value as a decimal string.
    std::uint64_t seed(const QString &key) const;
    //! An array of numbers in [lo, hi] with at most \a maxCount entries.
    std::vector<double> column(const QString &key, qsizetype maxCount, double lo, double hi) const;

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

} // namespace ebm::json
