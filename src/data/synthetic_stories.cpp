#include "data/synthetic_stories.h"

#include "core/check.h"
#include "core/rng.h"
#include "core/strings.h"
#include "data/slice.h"
#include "data/synthetic_grammar.h"

namespace fg::data {

namespace g = grammar;

void SyntheticStoryOptions::validate() const {
  FG_CHECK(first >= 0 && count >= 0,
           "[SyntheticStories] expected first >= 0 and count >= 0, got first {} and count {}",
           first, count);
}

namespace {

struct Character {
  std::string_view name, kind, trait, home;
  std::string_view he, his, him;
};

template <typename Array>
auto pick(Rng& rng, const Array& items) {
  return items[rng.below(items.size())];
}

Character make_character(Rng& rng) {
  g::Kind kind = pick(rng, g::kKinds);
  bool she = rng.below(2) == 0;
  if (kind.name == "girl") she = true;
  if (kind.name == "boy") she = false;
  return {pick(rng, g::kNames), kind.name,           pick(rng, g::kTraits), kind.home,
          she ? "she" : "he",   she ? "her" : "his", she ? "her" : "him"};
}

std::string opening(Rng& rng, const Character& c, const g::Love& love) {
  switch (rng.below(3)) {
    case 0:
      return fmt::format(
          "once upon a time, there was a {} {} named {} who loved to {}. {} lived {}.", c.trait,
          c.kind, c.name, love.phrase, c.he, c.home);
    case 1:
      return fmt::format(
          "there once was a {} {} called {}. {} lived {}, and {} loved to {} more "
          "than anything.",
          c.trait, c.kind, c.name, c.name, c.home, c.he, love.phrase);
    default:
      return fmt::format("{} was a {} {} who lived {}. more than anything, {} loved to {}.", c.name,
                         c.trait, c.kind, c.home, c.he, love.phrase);
  }
}

std::string found_object_part(Rng& rng, const Character& c, const Character& f) {
  std::string_view object = pick(rng, g::kObjects);
  std::string_view where = pick(rng, g::kFoundPlaces);
  std::string_view time = pick(rng, g::kTimes);
  return fmt::format(
      "one {}, {} found {} {}. \"what is this?\" {} said. {} felt curious and a little "
      "excited.\n\n{} showed it to {} friend {} the {}. \"maybe it belongs to someone,\" said {}. "
      "\"let's find out!\" so they asked everyone they met, until {} smiled and said, "
      "\"that is mine! thank you for bringing it back.\"\n\n{} felt proud and happy.",
      time, c.name, object, where, c.name, c.he, c.name, c.his, f.name, f.kind, f.name,
      pick(rng, g::kOwners), c.name);
}

std::string trouble_part(Rng& rng, const Character& c, const Character& f) {
  g::Trouble t = pick(rng, g::kTroubles);
  std::string_view time = pick(rng, g::kTimes);
  return fmt::format(
      "one {}, {} met {} friend {} the {}. {} {} and felt {}.\n\n\"what is wrong?\" asked {}. "
      "\"{},\" said {} quietly. {} thought for a moment and said, \"don't worry. i will help "
      "you.\"\n\nso the two friends {}. soon {} was smiling again.",
      time, c.name, c.his, f.name, f.kind, f.name, t.event, t.feeling, c.name, t.said, f.name,
      c.name, t.fix, f.name);
}

std::string teach_part(Rng& rng, const Character& c, const Character& f, const g::Love& love) {
  std::string_view time = pick(rng, g::kTimes);
  return fmt::format(
      "one {}, {} the {} came to visit. \"what are you doing?\" asked {}. \"i love to {},\" "
      "said {}. \"do you want to try?\"\n\n{} was {} at first. \"i have never done that "
      "before,\" {} said. \"that's okay,\" said {} with a smile. \"we can learn together.\"\n\n"
      "they tried and tried. soon {} was laughing, and {} felt very proud of {} friend.",
      time, f.name, f.kind, f.name, love.phrase, c.name, f.name, pick(rng, g::kShyFeelings), f.he,
      c.name, f.name, c.name, c.his);
}

std::string love_part(Rng& rng, const Character& c, const g::Love& love) {
  if (rng.below(2) == 0)
    return fmt::format("every day, {} {}. {} kept {} close by, just in case.", c.name, love.habit,
                       c.he, love.object);
  return fmt::format("{} had {}, and it was {} favorite thing in the whole world.", c.name,
                     love.object, c.his);
}

std::string ending(Rng& rng, const Character& c, const Character& f, const g::Love& love) {
  std::string_view moral = pick(rng, g::kMorals);
  switch (rng.below(3)) {
    case 0:
      return fmt::format(
          "that night, {} and {} sat together, and {} wanted to {} with {} friend. "
          "{} learned that {}.",
          c.name, f.name, c.name, love.phrase, c.his, c.name, moral);
    case 1:
      return fmt::format(
          "from that day on, {} and {} were the best of friends. and {} knew that {}.", c.name,
          f.name, c.name, moral);
    default:
      return fmt::format(
          "when the sun went down, {} went home feeling warm inside. {} had "
          "learned that {}. the end.",
          c.name, c.he, moral);
  }
}

}  // namespace

std::string synthetic_story(uint64_t seed, int64_t index) {
  Rng rng = Rng(seed).fork(static_cast<uint64_t>(index));
  Character c = make_character(rng);
  Character f = make_character(rng);
  while (f.name == c.name) f.name = pick(rng, g::kNames);
  g::Love love = pick(rng, g::kLoves);
  std::string story = opening(rng, c, love) + " " + love_part(rng, c, love) + "\n\n";
  switch (rng.below(3)) {
    case 0:
      story += found_object_part(rng, c, f);
      break;
    case 1:
      story += trouble_part(rng, c, f);
      break;
    default:
      story += teach_part(rng, c, f, love);
  }
  story += "\n\n" + ending(rng, c, f, love);
  return story;
}

std::vector<std::string> synthetic_stories(const SyntheticStoryOptions& options) {
  options.validate();
  std::vector<std::string> out(static_cast<size_t>(options.count));
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < options.count; ++i)
    out[static_cast<size_t>(i)] = synthetic_story(options.seed, options.first + i);
  return out;
}

std::vector<std::string> synthetic_split(const std::string& split_spec, uint64_t seed) {
  SplitSpec spec = parse_split_spec(split_spec);
  SyntheticStoryOptions o;
  o.seed = seed;
  if (spec.name == "train") {
    o.count = 50000;
  } else if (spec.name == "validation" || spec.name == "valid") {
    o.first = 10'000'000;
    o.count = 1000;
  } else {
    std::vector<std::string> names = {"train", "validation"};
    throw Error(fmt::format("[SyntheticStories] unknown split '{}'; expected one of {}{}",
                            spec.name, join(names, ", "), did_you_mean(spec.name, names)));
  }
  auto [first, last] = spec.slice.resolve(o.count);
  o.first += first;
  o.count = last - first;
  return synthetic_stories(o);
}

}  // namespace fg::data
