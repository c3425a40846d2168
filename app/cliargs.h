// Strict parsing of the command line: every problem becomes one CliError with a message naming it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ebm::cli {

//! A bad command line: the message names the option and what is wrong; the exit status is 2.
class CliError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

//! "--name value" pairs and "--flag" switches after a subcommand.
class Options
{
public:
    //! \a valued: options that take a value; \a flags: options that take none. Throws CliError.
    Options(const std::vector<std::string> &args, const std::set<std::string> &valued,
            const std::set<std::string> &flags = {});

    bool has(const std::string &name) const { return m_values.count(name) > 0; }
    bool flag(const std::string &name) const { return m_flags.count(name) > 0; }
    //! The raw text of --name, or \a fallback when absent.
    std::string text(const std::string &name, const std::string &fallback) const;
    //! The raw text of --name; throws CliError when absent.
    std::string required(const std::string &name) const;

private:
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
};

//! \brief a finite double; "inf" (any case, also "infinity") only when \a allowInfinity
double parseNumber(const std::string &option, const std::string &text, bool allowInfinity = false);
//! \brief a whole number in [lo, hi]
long long parseInteger(const std::string &option, const std::string &text, long long lo, long long hi);
//! \brief an unsigned 64-bit seed
std::uint64_t parseSeed(const std::string &option, const std::string &text);
//! \brief exactly \a count finite numbers separated by commas
std::vector<double> parseList(const std::string &option, const std::string &text, size_t count);
//! The largest magnitude any coordinate or parameter may have: beyond it nothing in a lecture makes sense.
constexpr double kMaxMagnitude = 1e6;

//! \brief a finite double within +-kMaxMagnitude
double parseBounded(const std::string &option, const std::string &text);
//! \brief throws unless \a path ("-" is standard output) can be written: checked before any long computation
void checkWritable(const std::string &path);
//! \brief "NXxNY" with both in [lo, hi]
std::pair<int, int> parseGridSize(const std::string &option, const std::string &text, int lo, int hi);

} // namespace ebm::cli
