workspace "Conduit" "A social blogging site: people sign up, write articles with tags, follow other writers, favorite and comment on articles, and read a feed of the writers they follow." {
    !identifiers flat

    model {
        role_member = person "member" "Anyone who registered."
        role_admin = person "admin" "Operates the site and removes abuse."
        system_conduit = softwareSystem "Conduit" "A social blogging site: people sign up, write articles with tags, follow other writers, favorite and comment on articles, and read a feed of the writers they follow." {
            service_conduit = container "conduit" "Accounts, profiles, articles, tags, comments, follows and favorites." "Service"
            store_database = container "Database" "Stores the system's records." "PostgreSQL" {
                tags "Database"
            }
            store_cache = container "Cache" "Holds hot reads and rate-limit counters." "Redis" {
                tags "Database"
            }
        }

        role_member -> system_conduit "Uses the API" "HTTPS"
        role_admin -> system_conduit "Uses the API" "HTTPS"
        service_conduit -> store_database "Reads and writes" "SQL"
        service_conduit -> store_cache "Uses"
    }

    views {
        systemContext system_conduit "SystemContext" {
            include *
            autolayout lr
        }
        container system_conduit "Containers" {
            include *
            autolayout lr
        }
        styles {
            element "Person" {
                shape Person
            }
            element "Database" {
                shape Cylinder
            }
            element "Queue" {
                shape Pipe
            }
            element "External" {
                background #999999
            }
        }
    }
}
