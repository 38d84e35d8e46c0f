-- A larger sample of the words in search_vector (decision 023). With the default, the planner knows
-- only the most common words and guesses any other at about half a percent of posts: a word in 201
-- of a million posts was planned as 5,300 matches and joined to every thread (108 ms). Knowing ten
-- times as many words, it estimates 290 and looks up just their threads (9 ms). ANALYZE costs a few
-- seconds more per million posts.
ALTER TABLE "posts" ALTER COLUMN "search_vector" SET STATISTICS 1000;
--> statement-breakpoint
ALTER TABLE "threads" ALTER COLUMN "search_vector" SET STATISTICS 1000;
--> statement-breakpoint
ANALYZE "posts", "threads";
