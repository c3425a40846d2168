// libFuzzer target: the command-line parsers of `ebmlab data|field|train|bench` (app/).
// The input is one argument per line: the subcommand, then its options (e.g. "field\n--beta\ninf\n--out\n-").
// A CliError is the expected answer to bad input; any other exception, a crash, UB or a hang is a finding,
// and so is accepted input that breaks what the parser promises (checked below). The value of --data is
// not a path here but the file's content, with ';' standing for a line break: the parser reads it from a
// scratch file, so the fuzzer explores the data checks rather than the machine's file system.
#include "benchcommand.h"
#include "cliargs.h"
#include "commands.h"
#include "fuzzinput.h"
#include "traincommand.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using ebm::fuzz::require;

std::vector<std::string> splitLines(const std::uint8_t *data, std::size_t size)
{
    std::vector<std::string> words(1);
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == '\n')
            words.emplace_back();
        else
            words.back() += static_cast<char>(data[i]);
    }
    if (words.size() > 1 && words.back().empty())
        words.pop_back(); // the final line break of a text file
    return words;
}

std::string dataFile(std::string content)
{
    for (char &c : content) {
        if (c == ';')
            c = '\n';
    }
    return ebm::fuzz::scratchFile(QByteArray::fromStdString(content)).toStdString();
}

//! Every value of --data (either spelling) becomes the path of a scratch file holding that value.
void redirectData(std::vector<std::string> &args)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--data" && i + 1 < args.size())
            args[i + 1] = dataFile(args[i + 1]);
        else if (args[i].rfind("--data=", 0) == 0)
            args[i] = "--data=" + dataFile(args[i].substr(7));
    }
}

bool finite(const ebm::Vec2 &v)
{
    return std::isfinite(v.x()) && std::isfinite(v.y());
}

void checkData(const ebm::cli::DataArgs &a)
{
    require(a.spec.count >= 1 && a.spec.count <= 10000000, "data: --n out of range");
    require(a.spec.x >= -5.0 && a.spec.x <= 5.0, "data: --x out of range");
    require(a.spec.noise >= 0.0 && a.spec.noise <= ebm::cli::kMaxMagnitude, "data: --noise out of range");
}

void checkField(const ebm::cli::FieldArgs &a)
{
    require(a.request.beta > 0.0, "field: beta not positive");
    require(std::isfinite(a.w.w1) && std::isfinite(a.w.w2), "field: w not finite");
    require(a.grid.problem().empty(), "field: accepted grid has a problem");
    require(a.grid.nx >= 2 && a.grid.ny >= 2 && a.grid.nx <= 8192 && a.grid.ny <= 8192, "field: grid size");
    require(std::isfinite(a.request.z), "field: z not finite");
    require(a.latents.isContinuous() || a.latents.count() >= 1, "field: no latents");
}

void checkTrain(const ebm::cli::TrainArgs &a)
{
    require(a.epochs >= 0 && a.epochs <= 1000000, "train: epochs out of range");
    require(a.config.loss.beta > 0.0, "train: beta not positive");
    require(a.config.learningRate > 0.0 && std::isfinite(a.config.learningRate), "train: bad learning rate");
    require(a.config.loss.margin >= 0.0 && std::isfinite(a.config.loss.margin), "train: bad margin");
    require(std::isfinite(a.config.init.w1) && std::isfinite(a.config.init.w2), "train: init not finite");
    require(!a.data.empty(), "train: no data");
    for (const ebm::Vec2 &y : a.data)
        require(finite(y), "train: a data point is not finite");
}

void checkBench(const ebm::cli::BenchArgs &a)
{
    require(a.beta > 0.0, "bench: beta not positive");
    require(a.grid.nx >= 2 && a.grid.ny >= 2, "bench: grid size");
    require(a.reps >= 1 && a.threads >= 0, "bench: reps or threads");
    require(a.path == ebm::cli::BenchPath::Fast || a.threads == 1, "bench: direct path with threads");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::vector<std::string> words = splitLines(data, size);
    const std::string command = words.front();
    std::vector<std::string> args(words.begin() + 1, words.end());
    try {
        if (command == "data") {
            checkData(ebm::cli::parseDataArgs(args));
        } else if (command == "field") {
            checkField(ebm::cli::parseFieldArgs(args));
        } else if (command == "train") {
            redirectData(args);
            checkTrain(ebm::cli::parseTrainArgs(args));
        } else if (command == "bench") {
            checkBench(ebm::cli::parseBenchArgs(args));
        } else {
            // No subcommand: the bare option reader and the value parsers, on the same words.
            const ebm::cli::Options o(words, {"a", "b", "c"}, {"f"});
            const std::string v = o.text("a", "0");
            (void)ebm::cli::parseNumber("a", v, o.flag("f"));
            (void)ebm::cli::parseList("b", o.text("b", "1,2"), 2);
            (void)ebm::cli::parseGridSize("c", o.text("c", "2x2"), 2, 8192);
        }
    } catch (const ebm::cli::CliError &) {
        // the expected answer to bad input
    }
    return 0;
}
