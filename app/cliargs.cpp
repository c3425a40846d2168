#include "cliargs.h"

#include <QFileInfo>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace ebm::cli {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string quoted(const std::string &text)
{
    return "\"" + (text.size() > 40 ? text.substr(0, 40) + "..." : text) + "\"";
}

} // namespace

Options::Options(const std::vector<std::string> &args, const std::set<std::string> &valued,
                 const std::set<std::string> &flags)
{
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg.size() == 2)
            throw CliError("unexpected argument " + quoted(arg) + " (options start with --)");
        std::string name = arg.substr(2), value;
        const size_t eq = name.find('=');
        const bool inlineValue = eq != std::string::npos;
        if (inlineValue) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name)) {
            if (inlineValue)
                throw CliError("--" + name + " takes no value");
            m_flags.insert(name);
            continue;
        }
        if (!valued.count(name))
            throw CliError("unknown option --" + name);
        if (!inlineValue) {
            if (i + 1 >= args.size())
                throw CliError("--" + name + " needs a value");
            value = args[++i];
        }
        if (m_values.count(name))
            throw CliError("--" + name + " is given twice");
        m_values[name] = value;
    }
}

std::string Options::text(const std::string &name, const std::string &fallback) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

std::string Options::required(const std::string &name) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        throw CliError("--" + name + " is required");
    return it->second;
}

double parseNumber(const std::string &option, const std::string &text, bool allowInfinity)
{
    const std::string l = lower(text);
    if (l == "inf" || l == "+inf" || l == "infinity") {
        if (!allowInfinity)
            throw CliError("--" + option + " must be finite, not " + quoted(text));
        return INFINITY;
    }
    double value = 0.0;
    const char *begin = text.data(), *end = text.data() + text.size();
    if (begin != end && *begin == '+')
        ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
        throw CliError("--" + option + " expects a number, got " + quoted(text));
    return value;
}

long long parseInteger(const std::string &option, const std::string &text, long long lo, long long hi)
{
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec == std::errc::invalid_argument || ptr != text.data() + text.size())
        throw CliError("--" + option + " expects a whole number, got " + quoted(text));
    if (ec == std::errc::result_out_of_range || value < lo || value > hi)
        throw CliError("--" + option + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                       ", got " + quoted(text));
    return value;
}

std::uint64_t parseSeed(const std::string &option, const std::string &text)
{
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        throw CliError("--" + option + " expects a whole number from 0 to 18446744073709551615, got " + quoted(text));
    return value;
}

std::vector<double> parseList(const std::string &option, const std::string &text, size_t count)
{
    std::vector<double> values;
    size_t start = 0;
    for (;;) {
        const size_t comma = text.find(',', start);
        values.push_back(parseNumber(option, text.substr(start, comma - start)));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    if (values.size() != count)
        throw CliError("--" + option + " expects " + std::to_string(count) + " comma-separated numbers, got " +
                       quoted(text));
    return values;
}

double parseBounded(const std::string &option, const std::string &text)
{
    const double v = parseNumber(option, text);
    if (std::abs(v) > kMaxMagnitude)
        throw CliError("--" + option + " must lie within +-1e6, got " + text);
    return v;
}

void checkWritable(const std::string &path)
{
    if (path == "-")
        return;
    const QFileInfo info(QString::fromStdString(path));
    if (info.isDir())
        throw CliError("--out " + path + " is a directory");
    const QFileInfo dir(info.absolutePath());
    if (!dir.isDir())
        throw CliError("--out: the directory " + dir.filePath().toStdString() + " does not exist");
    if (!dir.isWritable())
        throw CliError("--out: the directory " + dir.filePath().toStdString() + " is not writable");
}

std::pair<int, int> parseGridSize(const std::string &option, const std::string &text, int lo, int hi)
{
    const size_t x = lower(text).find('x');
    if (x == std::string::npos)
        throw CliError("--" + option + " expects NXxNY, e.g. 121x121, got " + quoted(text));
    const auto nx = parseInteger(option, text.substr(0, x), lo, hi);
    const auto ny = parseInteger(option, text.substr(x + 1), lo, hi);
    return {static_cast<int>(nx), static_cast<int>(ny)};
}

} // namespace ebm::cli
