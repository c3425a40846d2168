#include "rendersource.h"

#include "io/session.h"
#include "math/ellipse.h"
#include "state/familystate.h"

namespace ebm::cli {

const std::vector<std::string> kLabOptions = {"field", "beta",    "w",      "latents",  "range", "grid",  "z",
                                              "y",     "section", "margin", "colormap", "show",  "hide",  "data",
                                              "seed",  "n",       "noise",  "k",        "atoms", "alpha", "init-seed"};
const std::vector<std::string> kFamilyOptions = {"k", "atoms", "alpha", "init-seed"};

void useSession(const Options &o, bool modelGiven, const std::string &path, RenderInput &input)
{
    if (modelGiven)
        throw CliError("--model: the session gives the model; leave out --model or --session");
    for (const std::string &name : kLabOptions) {
        if (o.has(name))
            throw CliError("--" + name +
                           ": the session gives the lab; with --session only --view, --size, --dpi, "
                           "--caption, --out, --sweep-beta, --frames and --timeout apply");
    }
    if (o.flag("zero-temperature"))
        throw CliError("--zero-temperature: the session gives beta; leave it out or use --sweep-beta");
    QString error;
    std::optional<Session> session = readSession(QString::fromStdString(path), &error);
    if (!session)
        throw CliError("--session " + path + ": " + error.toStdString());
    input.session = std::move(*session);
}

void useFamilyModel(const Options &o, ModelKind kind, RenderInput &input)
{
    const auto given = [&o](std::initializer_list<const char *> names) -> std::string {
        for (const char *name : names) {
            if (o.has(name))
                return name;
        }
        return {};
    };
    LabState &s = input.state;
    s.modelKind = kind;
    if (kind == ModelKind::Ellipse) {
        if (o.has("k"))
            throw CliError("--k goes with --model kmeans");
        if (const std::string name = given({"atoms", "alpha"}); !name.empty())
            throw CliError("--" + name + " goes with --model sparse");
        if (o.has("init-seed"))
            throw CliError("--init-seed goes with --model kmeans or --model sparse");
        return;
    }
    const std::uint64_t initSeed = parseSeed("init-seed", o.text("init-seed", "0"));
    if (kind == ModelKind::KMeans) {
        if (const std::string name = given({"atoms", "alpha"}); !name.empty())
            throw CliError("--" + name + " goes with --model sparse");
        const std::vector<Vec2> data = input.customData ? input.data : ellipseSamples(s.dataset);
        const auto k = parseInteger("k", o.text("k", std::to_string(kLectureClusters)), 1, family::kMaxClusters);
        if (k > static_cast<long long>(data.size()))
            throw CliError("--k " + std::to_string(k) + " exceeds the " + std::to_string(data.size()) +
                           " data points (the centroids start at distinct data points)");
        s.kmeans.k = static_cast<int>(k);
        s.kmeans.seed = initSeed;
        s.kmeans.centroids = initialCentroids(s.kmeans, data);
        return;
    }
    if (o.has("k"))
        throw CliError("--k goes with --model kmeans");
    s.sparse.atoms =
        static_cast<int>(parseInteger("atoms", o.text("atoms", std::to_string(kDefaultAtoms)), 1, family::kMaxAtoms));
    s.sparse.alpha = o.has("alpha") ? parseBounded("alpha", o.text("alpha", "")) : kDefaultSparsity;
    if (s.sparse.alpha < 0.0 || s.sparse.alpha > family::kMaxAlpha)
        throw CliError("--alpha must be between 0 and " + std::to_string(int(family::kMaxAlpha)) + ", got " +
                       o.text("alpha", ""));
    s.sparse.seed = initSeed;
    s.sparse.dictionary = initialDictionary(s.sparse);
}

} // namespace ebm::cli
