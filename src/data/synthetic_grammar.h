#pragma once
// Word lists for the synthetic story grammar (synthetic_stories.cpp).
#include <array>
#include <string_view>

namespace fg::data::grammar {

struct Kind {
  std::string_view name;
  std::string_view home;  // where this kind of character lives
};

inline constexpr std::array<Kind, 20> kKinds = {{
    {"dragon", "in a warm cave at the foot of the hills"},
    {"bunny", "in a snug burrow under an old oak tree"},
    {"girl", "in a yellow house at the end of the lane"},
    {"boy", "in a small house near the river"},
    {"cat", "in a cozy cottage with a red door"},
    {"puppy", "on a busy farm full of animals"},
    {"bear", "in a big green forest"},
    {"fox", "in a quiet den beside a meadow"},
    {"owl", "in a hollow high up in a pine tree"},
    {"mouse", "in a tiny hole behind the kitchen wall"},
    {"turtle", "by a calm pond with lily pads"},
    {"duck", "on the bank of a sparkling lake"},
    {"kitten", "in a basket by the fireplace"},
    {"frog", "on a round stone in the marsh"},
    {"squirrel", "in a nest at the top of a maple tree"},
    {"robot", "in a workshop full of shiny tools"},
    {"elephant", "on a wide, sunny plain"},
    {"lion", "on a rocky hill above the grass"},
    {"pig", "in a muddy pen on a happy farm"},
    {"penguin", "on a snowy shore by the cold sea"},
}};

inline constexpr std::array<std::string_view, 48> kNames = {
    "ember",  "lily",  "tom",     "mia",   "ben",    "sue",   "max",   "anna",   "leo",  "zoe",
    "sam",    "lucy",  "jack",    "rosie", "finn",   "ella",  "oscar", "ruby",   "milo", "daisy",
    "pip",    "tilly", "bobo",    "nina",  "otto",   "hazel", "felix", "poppy",  "toby", "ivy",
    "spark",  "dot",   "biscuit", "coco",  "pebble", "sunny", "maple", "clover", "bean", "willow",
    "jasper", "luna",  "rex",     "penny", "hugo",   "fern",  "buzz",  "nora"};

inline constexpr std::array<std::string_view, 10> kTraits = {
    "little", "kind", "brave", "shy", "curious", "cheerful", "sleepy", "clever", "gentle", "tiny"};

struct Love {
  std::string_view phrase;  // "loved to ..."
  std::string_view habit;   // what the character did every day
  std::string_view object;  // a thing that goes with it
};

inline constexpr std::array<Love, 12> kLoves = {{
    {"read stories", "read a new story before bed", "a big book of stories"},
    {"paint pictures", "painted bright pictures of the sky", "a box of paints"},
    {"sing songs", "sang happy songs in the morning", "a little drum"},
    {"dance", "danced around and around until it was time to rest", "a pair of red shoes"},
    {"build towers", "built tall towers out of blocks and sticks", "a bag of blocks"},
    {"play in the rain", "jumped in every puddle", "a yellow raincoat"},
    {"bake cookies", "baked warm cookies to share", "a wooden spoon"},
    {"look at the stars", "counted the stars at night", "an old telescope"},
    {"climb trees", "climbed the tallest tree to see far away", "a long rope"},
    {"fly kites", "flew a kite when the wind was strong", "a blue kite"},
    {"collect shells", "looked for shells on the sand", "a little bucket"},
    {"grow flowers", "watered the flowers in the garden", "a green watering can"},
}};

inline constexpr std::array<std::string_view, 12> kObjects = {
    "a shiny key",      "an old map",  "a tiny boat",   "a magic hat",
    "a golden feather", "a music box", "a lost mitten", "a round stone",
    "a glass jar",      "a red ball",  "a secret note", "a silver bell"};

inline constexpr std::array<std::string_view, 10> kFoundPlaces = {
    "under a bush",        "by the old well",         "in the tall grass",
    "behind a big rock",   "at the edge of the pond", "on the garden path",
    "inside a hollow log", "near the bridge",         "under the bed",
    "on a high shelf"};

inline constexpr std::array<std::string_view, 8> kTimes = {
    "sunny morning",     "windy afternoon",     "rainy day",         "quiet evening",
    "bright spring day", "cold winter morning", "warm summer night", "foggy morning"};

struct Trouble {
  std::string_view event;    // what went wrong for the friend
  std::string_view feeling;  // how the friend felt
  std::string_view said;     // how the friend tells it
  std::string_view fix;      // what the two did about it
};

inline constexpr std::array<Trouble, 8> kTroubles = {{
    {"had lost a favorite toy", "sad", "i lost my favorite toy",
     "looked everywhere together until they found it"},
    {"was afraid of the big storm", "scared", "the thunder is so loud",
     "sat close and told stories until the storm passed"},
    {"could not reach the apples on the tree", "upset", "the apples are too high for me",
     "worked as a team to get the apples"},
    {"had no one to play with", "lonely", "i have no one to play with",
     "played a game of hide and seek all afternoon"},
    {"was lost in the woods", "worried", "i can't find my way home",
     "followed the path of white stones back home"},
    {"had broken a little cart", "sad", "my cart is broken", "fixed the cart with string and glue"},
    {"wanted to learn to swim", "nervous", "i want to swim, but the water is deep",
     "practiced in the shallow water, one splash at a time"},
    {"could not find the way to the party", "confused", "where is the party?",
     "followed the music all the way there"},
}};

inline constexpr std::array<std::string_view, 4> kShyFeelings = {"shy", "unsure", "a little scared",
                                                                 "nervous"};

inline constexpr std::array<std::string_view, 6> kOwners = {"an old owl",     "a little bird",
                                                            "a kind grandma", "a sleepy bear",
                                                            "a busy beaver",  "a tall giraffe"};

inline constexpr std::array<std::string_view, 8> kMorals = {
    "being kind is the best magic of all",
    "friends are there to help each other",
    "sharing makes everyone happy",
    "it is good to be brave, even when you feel small",
    "a little patience can fix a big problem",
    "the best adventures are the ones you share",
    "asking for help is nothing to be afraid of",
    "every day can hold a wonderful surprise"};

}  // namespace fg::data::grammar
